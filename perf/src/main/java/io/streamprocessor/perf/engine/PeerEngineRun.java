package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.window.WindowResult;

import java.time.Duration;
import java.util.List;

/**
 * Runs {@link PeerWorkload} through a {@link StreamProcessor} by its public embedding API only:
 * builder, {@link Ingestor#claim}, the slots' writers, {@link Ingestor#publish}, then one query
 * of all windows. Journal off; retention keeps every window of the run. One producer, the
 * calling thread, so the ring is built for a single producer (as the server builds it with one
 * I/O thread), claiming {@value PeerIngest#BATCH} slots at a time as the HTTP batch decoder does and
 * spinning (yielding) while the ring is full.
 */
public final class PeerEngineRun {
    /** The processor's default ring size. */
    public static final int DEFAULT_RING = StreamProcessor.builder().settings().ringSize();

    /**
     * What one run produced: the windows and the measured cost: bytes allocated and CPU time, by
     * all threads and by the producer alone (whose CPU time includes its yielding while the ring
     * is full).
     */
    public record Result(List<WindowResult> windows, long nanos, long allocatedBytes, long producerBytes,
                         long cpuNanos, long producerCpuNanos) {
    }

    private PeerEngineRun() {
    }

    /**
     * Ingests events {@code 0 .. n-1} into a fresh processor with 60 s windows sliding by
     * {@code slideMillis} and queries all windows; the time, and the bytes allocated and CPU time
     * spent by every thread of the JVM, cover the ingestion and the query, not the processor's
     * start and close.
     */
    public static Result run(Topology topology, long slideMillis, long n) {
        return run(topology, slideMillis, n, DEFAULT_RING);
    }

    /** As {@link #run(Topology, long, long)}, with a ring of {@code ringSize} slots (a power of two). */
    public static Result run(Topology topology, long slideMillis, long n, int ringSize) {
        long size = 60_000;
        try (StreamProcessor p = StreamProcessor.builder()
                .topology(topology)
                .singleProducer(true)
                .ringSize(ringSize)
                .window(Duration.ofMillis(size), Duration.ofMillis(slideMillis))
                .retention(Duration.ofMillis(PeerWorkload.spanMillis(n) + size))
                .build().start()) {
            Ingestor in = p.newIngestor();
            ThreadCost cost = ThreadCost.start();
            long t0 = System.nanoTime();
            PeerIngest.ingest(in, n);
            List<WindowResult> windows = p.aggregations();
            long nanos = System.nanoTime() - t0;
            long bytes = cost.bytes();
            long producerBytes = cost.bytes(Thread.currentThread().getId());
            long cpu = cost.cpuNanos();
            long producerCpu = cost.cpuNanos(Thread.currentThread().getId());
            long processed = p.stats().totalProcessed();
            if (processed != n) {
                throw new IllegalStateException(topology + ": the engine processed " + processed + " of " + n + " events");
            }
            return new Result(windows, nanos, bytes, producerBytes, cpu, producerCpu);
        }
    }
}
