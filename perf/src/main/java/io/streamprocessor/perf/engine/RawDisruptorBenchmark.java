package io.streamprocessor.perf.engine;

import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventProcessorFactory;
import com.lmax.disruptor.dsl.ProducerType;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.pipeline.WaitStrategyType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * The engine's ceiling: a plain Disruptor 4 ring of a one-{@code long} event with empty handlers,
 * driven by the same producer loop as {@link PipelineBenchmark} (one thread, {@value #BATCH}
 * slots per claim with {@code tryNext}, spin on a full ring), with the same ring size, producer
 * type (multi), handler batch bound and wait strategy as the processor picks on this machine.
 * {@code SINGLE} (one empty handler on its own thread) is the ceiling the pipeline's scores are
 * divided by; {@code INLINE} (the producer polls its own ring, no handler thread), {@code FUSED}
 * (two handlers in a row) and {@code PER_STAGE} (the processor's six-handler graph) show what each
 * thread layout alone costs, with no work in the handlers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RawDisruptorBenchmark {
    static final int BATCH = PipelineBenchmark.BATCH;
    private static final int MAX_BATCH = 1024;
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A ring entry with nothing in it but a number, so the ring itself is all that is measured. */
    static final class Slot {
        long value;
    }

    private static final EventHandler<Slot> EMPTY = (slot, sequence, endOfBatch) -> { };
    private static final EventPoller.Handler<Slot> EMPTY_POLL = (slot, sequence, endOfBatch) -> true;

    /** The processor topology whose thread layout the empty handlers copy. */
    @Param({"INLINE", "SINGLE", "FUSED", "PER_STAGE"})
    public Topology topology;

    /** Slots in the ring, as in {@link PipelineBenchmark}. */
    @Param({"16384"})
    public int ringSize;

    /** Null for {@code INLINE}, which has no handler thread. */
    private Disruptor<Slot> disruptor;
    /** Null unless {@code INLINE}. */
    private EventPoller<Slot> poller;
    private RingBuffer<Slot> ring;
    private long published;

    @Setup(Level.Trial)
    public void start() {
        WaitStrategyType type = WaitStrategyType.forCores(Runtime.getRuntime().availableProcessors(),
            Math.max(1, topology.threads()));
        WaitStrategy wait = switch (type) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
        published = 0;
        System.out.println("raw disruptor: " + topology + " layout, " + type + " wait strategy, " + ringSize + " slots");
        if (topology == Topology.INLINE) {
            // As the processor's inline topology: no handler thread, the producer polls what it published.
            ring = RingBuffer.createMultiProducer(Slot::new, ringSize, wait);
            poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
            return;
        }
        disruptor = new Disruptor<>(Slot::new, ringSize, r -> {
            Thread t = new Thread(r, "raw-handler");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, wait);
        switch (topology) {
            case SINGLE -> disruptor.handleEventsWith(empty());
            case FUSED -> disruptor.handleEventsWith(empty()).then(empty());
            case PER_STAGE -> disruptor.handleEventsWith(empty()).then(empty()).then(empty())
                .then(empty(), empty()).then(empty());
            default -> throw new IllegalStateException("no raw layout for " + topology);
        }
        ring = disruptor.start();
    }

    private static EventProcessorFactory<Slot> empty() {
        return (ringBuffer, barrierSequences) -> new BatchEventProcessorBuilder()
            .setMaxBatchSize(MAX_BATCH)
            .build(ringBuffer, ringBuffer.newBarrier(barrierSequences), EMPTY);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publish(RingFull full) {
        long hi;
        while (true) {
            try {
                hi = ring.tryNext(BATCH);
                break;
            } catch (InsufficientCapacityException e) {
                full.onRingFull();
            }
        }
        long lo = hi - BATCH + 1;
        for (long s = lo; s <= hi; s++) {
            ring.get(s).value = s;
        }
        ring.publish(lo, hi);
        published += BATCH;
        if (poller != null) {
            drainInline();
        }
    }

    private void drainInline() {
        try {
            while (poller.poll(EMPTY_POLL) == EventPoller.PollState.PROCESSING) {
                // until it has seen everything published
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Iteration)
    public void drain() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (ring.getMinimumGatingSequence() < ring.getCursor()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ring did not drain");
            }
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (disruptor != null) {
            disruptor.shutdown();
        }
        if (ring.getCursor() + 1 != published) {
            throw new IllegalStateException("published " + published + " but ring cursor is " + ring.getCursor());
        }
    }
}
