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
 * calling thread, claiming {@value #BATCH} slots at a time as the HTTP batch decoder does and
 * spinning (yielding) while the ring is full.
 */
public final class PeerEngineRun {
    /** Slots claimed and published at a time. */
    public static final int BATCH = 64;

    /** What one run produced: the windows and the measured cost (bytes by all threads, and by the producer alone). */
    public record Result(List<WindowResult> windows, long nanos, long allocatedBytes, long producerBytes) {
    }

    private PeerEngineRun() {
    }

    /**
     * Ingests events {@code 0 .. n-1} into a fresh processor with 60 s windows sliding by
     * {@code slideMillis} and queries all windows; the time and the bytes allocated by every
     * thread of the JVM cover the ingestion and the query, not the processor's start and close.
     */
    public static Result run(Topology topology, long slideMillis, long n) {
        long size = 60_000;
        try (StreamProcessor p = StreamProcessor.builder()
                .topology(topology)
                .window(Duration.ofMillis(size), Duration.ofMillis(slideMillis))
                .retention(Duration.ofMillis(PeerWorkload.spanMillis(n) + size))
                .build().start()) {
            Ingestor in = p.newIngestor();
            Allocation allocation = Allocation.start();
            long t0 = System.nanoTime();
            long i = 0;
            while (i < n) {
                int batch = (int) Math.min(BATCH, n - i);
                if (!in.claim(batch, null)) {
                    Thread.yield();
                    continue;
                }
                for (int j = 0; j < batch; j++) {
                    PeerWorkload.write(in.slot(j), i + j);
                }
                in.publish();
                i += batch;
            }
            List<WindowResult> windows = p.aggregations();
            long nanos = System.nanoTime() - t0;
            long bytes = allocation.bytes();
            long producerBytes = allocation.bytes(Thread.currentThread().getId());
            long processed = p.stats().totalProcessed();
            if (processed != n) {
                throw new IllegalStateException(topology + ": the engine processed " + processed + " of " + n + " events");
            }
            return new Result(windows, nanos, bytes, producerBytes);
        }
    }
}
