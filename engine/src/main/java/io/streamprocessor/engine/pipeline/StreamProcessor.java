package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventProcessorFactory;
import com.lmax.disruptor.dsl.ProducerType;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.engine.stats.LatencyRecorder;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowResult;
import io.streamprocessor.engine.window.WindowStore;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The embeddable processor: a Disruptor ring of pre-allocated event slots and the handler
 * chain validate, filter, transform, window, sinks, completion, laid out on threads by the
 * {@link Topology}. Build one with {@link #builder()}, {@link #start()} it, ingest through an
 * {@link Ingestor} per producer thread, query {@link #aggregations()} and {@link #stats()}, and
 * {@link #close()} it to drain what was accepted.
 *
 * <p>Concurrency: any number of producer threads, each with its own {@link Ingestor}; queries
 * from any thread. A query first waits (boundedly) until every event published before it has
 * passed the whole chain, so a producer that published and then queries sees its own events.
 */
public final class StreamProcessor implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long QUERY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final ProcessorSettings settings;
    /** Null for {@link Topology#INLINE}, which has no stage threads. */
    private final Disruptor<Slot> disruptor;
    /** Null unless {@link Topology#INLINE}. */
    private final InlineDrainer inline;
    private final RingBuffer<Slot> ring;
    private final Interner types;
    private final Interner sources;
    private final ValidateStage validate;
    private final FilterStage filter;
    private final TransformStage transform;
    private final WindowStage window;
    private final SinkStage sinkStage;
    private final List<StageHandler> handlers = new ArrayList<>();
    private final LatencyRecorder latency = new LatencyRecorder();
    private volatile State state = State.NEW;

    StreamProcessor(ProcessorSettings s) {
        this.settings = s;
        int instance = INSTANCES.incrementAndGet();
        String name = "sp" + instance;
        FieldPath valuePath = FieldPath.of(s.valuePath());
        this.types = new Interner(s.maxTypes());
        this.sources = new Interner(s.maxSources());
        String idPrefix = "evt-" + Long.toString(System.currentTimeMillis(), 36) + "-" + instance + "-";
        Validator validator = new Validator(types, sources, s.maxFutureSkewMillis(), s.maxDepth(),
            s.maxFields(), s.unknownFields() == UnknownFields.ALLOW, idPrefix);
        this.validate = new ValidateStage(validator, s.clock());
        this.filter = new FilterStage(s.filters().toArray(new EventFilter[0]));
        this.transform = new TransformStage(s.transforms().toArray(new EventStep[0]));
        WindowStore store = new WindowStore(s.window(), s.typesPerWindow(), s.exactDistinctSources(), s.aggregations());
        this.window = new WindowStage(store, s.maxMetricKeys(), s.clock());
        this.sinkStage = new SinkStage(s.sinks().toArray(new Sink[0]), s.errorHandler());
        CompletionStage completion = new CompletionStage(latency);

        ErrorHandler errors = s.errorHandler();
        if (s.topology() == Topology.INLINE) {
            this.disruptor = null;
            this.ring = RingBuffer.createMultiProducer(
                () -> new Slot(valuePath, s.maxDataTokens(), s.maxDataBytes()), s.ringSize(),
                s.waitStrategy().create());
            StageHandler all = new StageHandler(errors, validate, filter, transform, window, sinkStage, completion);
            handlers.add(all);
            this.inline = new InlineDrainer(ring, all, s.maxStageBatch());
            return;
        }
        this.inline = null;
        AtomicInteger threadNumber = new AtomicInteger();
        this.disruptor = new Disruptor<>(
            () -> new Slot(valuePath, s.maxDataTokens(), s.maxDataBytes()),
            s.ringSize(),
            r -> {
                Thread t = new Thread(r, name + "-stage-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            },
            ProducerType.MULTI,
            s.waitStrategy().create());
        switch (s.topology()) {
            case SINGLE -> disruptor.handleEventsWith(
                processor(new StageHandler(errors, validate, filter, transform, window, sinkStage, completion)));
            case FUSED -> disruptor
                .handleEventsWith(processor(new StageHandler(errors, validate, filter, transform, window)))
                .then(processor(new StageHandler(errors, sinkStage, completion)));
            case PER_STAGE -> disruptor
                .handleEventsWith(processor(new StageHandler(errors, validate)))
                .then(processor(new StageHandler(errors, filter)))
                .then(processor(new StageHandler(errors, transform)))
                .then(processor(new StageHandler(errors, window)), processor(new StageHandler(errors, sinkStage)))
                .then(processor(new StageHandler(errors, completion)));
            default -> throw new IllegalStateException("topology " + s.topology());
        }
        this.ring = disruptor.getRingBuffer();
    }

    private EventProcessorFactory<Slot> processor(StageHandler handler) {
        handlers.add(handler);
        int maxBatch = settings.maxStageBatch();
        return (ringBuffer, barrierSequences) -> new BatchEventProcessorBuilder()
            .setMaxBatchSize(maxBatch)
            .build(ringBuffer, ringBuffer.newBarrier(barrierSequences), handler);
    }

    public static ProcessorSettings.Builder builder() {
        return new ProcessorSettings.Builder();
    }

    /**
     * Starts the sinks, then the stage threads.
     *
     * @throws IllegalStateException when a sink cannot start (its cause says why); the sinks
     *                               already started are closed
     */
    public synchronized StreamProcessor start() {
        if (state != State.NEW) {
            throw new IllegalStateException("processor already started");
        }
        List<Sink> sinks = settings.sinks();
        for (int i = 0; i < sinks.size(); i++) {
            try {
                sinks.get(i).start();
            } catch (Exception e) {
                for (int j = 0; j < i; j++) {
                    closeQuietly(sinks.get(j));
                }
                throw new IllegalStateException("sink " + sinks.get(i).name() + " cannot start: " + e.getMessage(), e);
            }
        }
        if (disruptor != null) {
            disruptor.start();
        }
        state = State.RUNNING;
        return this;
    }

    /** True while the processor takes new events (started, not closing). */
    public boolean isAccepting() {
        return state == State.RUNNING;
    }

    /** A new producer handle; give each producing thread its own. */
    public Ingestor newIngestor() {
        return new Ingestor(ring, this, settings.clock());
    }

    public ProcessorSettings settings() {
        return settings;
    }

    /** Slots in the ring. */
    public int ringCapacity() {
        return ring.getBufferSize();
    }

    /** Slots published or claimed but not yet through every stage. */
    public long ringUsed() {
        return Math.max(0, ring.getCursor() - ring.getMinimumGatingSequence());
    }

    /** Every non-empty window not yet evicted, by start ascending, reflecting every event published before the call. */
    public List<WindowResult> aggregations() {
        awaitCaughtUp();
        window.lock.lock();
        try {
            return window.windows.query(types);
        } finally {
            window.lock.unlock();
        }
    }

    /** Processing statistics reflecting every event published before the call. */
    public StatsSnapshot stats() {
        awaitCaughtUp();
        long throughput;
        Map<String, Long> metrics = new LinkedHashMap<>();
        window.lock.lock();
        try {
            throughput = window.throughput.perSecond(settings.clock().millis());
            window.metrics.forEach((key, n) -> metrics.merge(metricName(key), n, Long::sum));
        } finally {
            window.lock.unlock();
        }
        long failed = 0;
        for (StageHandler h : handlers) {
            failed += h.failed.get();
        }
        long last = window.lastProcessedAt.get();
        Histogram h = latency.snapshot();
        Map<String, SinkStatus> sinks = currentSinkStatuses();
        long buffered = 0;
        for (SinkStatus s : sinks.values()) {
            buffered += s.buffered();
        }
        return new StatsSnapshot(
            validate.received.get(),
            window.processed.get(),
            filter.filtered.get() + transform.filtered.get(),
            validate.rejected.get() + failed,
            window.late.get(),
            throughput,
            last == Long.MIN_VALUE ? null : last,
            metrics,
            buffered,
            sinks,
            h.getTotalCount() == 0 ? 0.0 : h.getMean() / 1000.0,
            h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(90) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0,
            h.getMaxValue() / 1000.0,
            ring.getBufferSize(),
            ringUsed());
    }

    private String metricName(long key) {
        if (key == WindowStage.OTHER_METRIC) {
            return WindowResult.OTHER;
        }
        // Interned by the validate stage; the ids reached the window stage, and so this thread, through the ring.
        return types.name((int) (key >>> 32)) + ":" + sources.name((int) key);
    }

    /**
     * What each sink has written, failed, dropped and holds, by name, in the order they were added,
     * reflecting every event published before the call.
     */
    public Map<String, SinkStatus> sinkStatuses() {
        awaitCaughtUp();
        return currentSinkStatuses();
    }

    /** As {@link #sinkStatuses()}, as things stand, without waiting: for health checks. */
    private Map<String, SinkStatus> currentSinkStatuses() {
        Map<String, SinkStatus> result = new LinkedHashMap<>();
        List<Sink> sinks = settings.sinks();
        for (int i = 0; i < sinks.size(); i++) {
            result.put(sinks.get(i).name(), sinkStage.status(i));
        }
        return result;
    }

    /**
     * Whether every sink can take {@code events} more events on top of those already in the ring;
     * when one cannot, its name (for the refusal), else null. Any thread.
     */
    String sinkRefusing(int events) {
        List<Sink> sinks = settings.sinks();
        if (sinks.isEmpty()) {
            return null;
        }
        long incoming = events + ringUsed();
        for (int i = 0; i < sinks.size(); i++) {
            if (!sinks.get(i).admits(incoming)) {
                return sinks.get(i).name();
            }
        }
        return null;
    }

    /** The pipeline's health: accepting, not too full, and no sink failing. */
    public Health health() {
        if (state != State.RUNNING) {
            return new Health(Health.Status.UNHEALTHY, "processor is " + state.name().toLowerCase());
        }
        long used = ringUsed();
        int capacity = ring.getBufferSize();
        if (used >= capacity) {
            return new Health(Health.Status.UNHEALTHY, "pipeline full");
        }
        if (used * 10 > capacity * 9L) {
            return new Health(Health.Status.DEGRADED, "pipeline over 90% full");
        }
        for (Map.Entry<String, SinkStatus> e : currentSinkStatuses().entrySet()) {
            SinkStatus s = e.getValue();
            if (s.failing()) {
                return new Health(Health.Status.DEGRADED, "sink " + e.getKey() + " failing: " + s.lastError());
            }
        }
        return new Health(Health.Status.HEALTHY, null);
    }

    /**
     * Waits until every event published before the call has passed the last stage, at most
     * {@value #QUERY_WAIT_NANOS} ns; a stuck pipeline then gets a stale answer rather than a hung query.
     */
    private void awaitCaughtUp() {
        long target = ring.getCursor();
        afterPublish();
        if (ring.getMinimumGatingSequence() >= target || state == State.NEW) {
            return;
        }
        long deadline = System.nanoTime() + QUERY_WAIT_NANOS;
        int spins = 0;
        while (ring.getMinimumGatingSequence() < target && System.nanoTime() < deadline) {
            afterPublish();
            if (++spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Stops taking events, waits for everything accepted to pass every stage, then closes the
     * sinks. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED || state == State.CLOSING) {
                return;
            }
            boolean started = state == State.RUNNING;
            state = State.CLOSING;
            if (started && disruptor != null) {
                try {
                    disruptor.shutdown(settings.drainTimeoutMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    settings.errorHandler().onError("close", e);
                    disruptor.halt();
                }
            } else if (started) {
                drainInline();
            }
            for (Sink s : settings.sinks()) {
                closeQuietly(s);
            }
            state = State.CLOSED;
        }
    }

    private void closeQuietly(Sink s) {
        try {
            s.close();
        } catch (Exception e) {
            settings.errorHandler().onError("sink " + s.name(), e);
        }
    }

    /** Inline topology: runs the stages over what producers published (the producers call this). */
    void afterPublish() {
        if (inline != null) {
            inline.drain();
        }
    }

    /** Inline topology, closing: processes until every claimed slot is published and processed, or the drain timeout. */
    private void drainInline() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.drainTimeoutMillis());
        while (ring.getMinimumGatingSequence() < ring.getCursor() && System.nanoTime() < deadline) {
            inline.drain();
            Thread.onSpinWait();
        }
    }

    /** Health of the pipeline. */
    public record Health(Status status, String reason) {
        public enum Status { HEALTHY, DEGRADED, UNHEALTHY }
    }
}
