package io.streamprocessor.transport.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import io.streamprocessor.engine.pipeline.ErrorHandler;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.json.BodyBytes;
import io.streamprocessor.transport.json.EventDecoder;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every connection of one server shares: the processor, the settings, the body budget,
 * the query thread, and per I/O thread an {@link Ingestor}, an {@link EventDecoder}, an
 * {@link Admission} and its {@link Completions}.
 * Thread-safe.
 */
final class ServerContext {
    /** The per-I/O-thread producer state. */
    record IoState(Ingestor ingestor, EventDecoder decoder, BodyBytes body, Admission admission, Completions completions) {
    }

    private final StreamProcessor processor;
    private final ServerSettings settings;
    private final BodyBudget budget;
    private final ThreadPoolExecutor queries;
    private final long startNanos = System.nanoTime();
    private volatile boolean draining;
    /** Each I/O thread's admission, by its loop, for the control loop to read. */
    private final Map<EventExecutor, Admission> admissions = new ConcurrentHashMap<>();
    /** The loop where connections start and read-only ones stay; null until the server is bound. */
    private volatile EventExecutor controlLoop;
    private final FastThreadLocal<IoState> io = new FastThreadLocal<>() {
        @Override
        protected IoState initialValue() {
            Executor loop = ThreadExecutorMap.currentExecutor();
            Admission admission = new Admission(loop == null ? Runnable::run : loop, System::nanoTime,
                TimeUnit.MILLISECONDS.toNanos(settings.overloadDelayMillis()), ServerContext.this::pipelineNearlyFull);
            if (loop instanceof EventExecutor e) {
                admissions.put(e, admission);
            }
            return new IoState(processor.newIngestor(),
                new EventDecoder(processor.settings().maxDepth(), processor.settings().maxFields()), new BodyBytes(), admission,
                new Completions(loop == null ? Runnable::run : loop,
                    loop instanceof ScheduledExecutorService s ? r -> s.schedule(r, 0, TimeUnit.NANOSECONDS) : Runnable::run,
                    System::nanoTime));
        }
    };

    ServerContext(StreamProcessor processor, ServerSettings settings) {
        this.processor = processor;
        this.settings = settings;
        this.budget = new BodyBudget(settings.maxBufferedBodyBytes());
        // One thread: queries wait for the pipeline and merge windows under the window lock;
        // more threads would only queue on that lock. Bounded, so a query flood gets 503s.
        this.queries = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "sp-query");
            t.setDaemon(true);
            return t;
        });
    }

    StreamProcessor processor() {
        return processor;
    }

    ServerSettings settings() {
        return settings;
    }

    BodyBudget budget() {
        return budget;
    }

    ExecutorService queries() {
        return queries;
    }

    ErrorHandler errors() {
        return processor.settings().errorHandler();
    }

    IoState io() {
        return io.get();
    }

    /** Over 90% of the ring's slots taken: where {@code /health} turns degraded and new events are shed. */
    private boolean pipelineNearlyFull() {
        return processor.ringUsed() * 10 > processor.ringCapacity() * 9L;
    }

    long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    void controlLoop(EventExecutor loop) {
        controlLoop = loop;
    }

    /** Whether {@code loop} is the control loop, which serves no ingestion connections and so may spend a few milliseconds on a query. */
    boolean isControlLoop(EventExecutor loop) {
        return loop == controlLoop;
    }

    /**
     * The control loop's answer to a request carrying events on a connection it still serves:
     * null to take it (moving the connection, see {@link Handoff}), else why it is shed, at once
     * and on the control loop: the pipeline is nearly full, or every ingestion loop is in an
     * overload, so that moving the connection would only have it shed a pass later.
     */
    String shedOnControlLoop() {
        if (pipelineNearlyFull()) {
            return Admission.PIPELINE_FULL;
        }
        boolean any = false;
        for (Map.Entry<EventExecutor, Admission> e : admissions.entrySet()) {
            if (e.getKey() != controlLoop) {
                if (!e.getValue().shedding()) {
                    return null;
                }
                any = true;
            }
        }
        return any ? Admission.BEHIND : null;
    }

    /** True once shutdown began: responses then close their connections. */
    boolean isDraining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    /** Stops taking queries and waits (boundedly) for those taken to hand over their responses. */
    void shutdownQueries() {
        queries.shutdown();
        try {
            queries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
