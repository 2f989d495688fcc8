package io.streamprocessor.perf.engine;

import io.streamprocessor.perf.TempDirs;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.sink.MetricsSink;
import io.streamprocessor.engine.stats.StatsSnapshot;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Events per second through the whole in-process chain of a {@link StreamProcessor}: claim,
 * write, publish, validate (interning, id generation, value extraction), filter, transform,
 * window (one pane per event), a {@link MetricsSink}, and completion (latency recording). One
 * producer, the benchmark thread, claims {@value #BATCH} slots at a time fire-and-forget
 * (no {@code IngestRequest}), as the HTTP decoder does for a batch request. The score is per
 * event ({@link OperationsPerInvocation}); so is {@code gc.alloc.rate.norm} under {@code -prof gc},
 * which in JMH 1.37 on JDK 17 counts the bytes allocated by every thread of the JVM, the stage
 * threads included.
 *
 * <p>The fork runs the launcher's collector, serial: under G1 this benchmark ran at a third of
 * the rate (1.3-1.7 M events/s against 4.3-4.6 M, {@code SINGLE} at W/S 6, alternating). Add
 * {@code -jvmArgsAppend "-Xms2g -Xmx2g -XX:+UseG1GC"} (it replaces these flags) to measure another collector.
 *
 * <p>Why the score is the pipeline's rate and not the producer's: the ring is the processor's
 * default 16384 slots, small enough that within milliseconds of the start the producer
 * is held back by the slowest stage; a failed claim spins ({@link RingFull}, which also counts
 * them), so in steady state the producer publishes exactly as fast as the last stage frees
 * slots. At most one ring (16K events, well under 1% of an iteration) is counted without having
 * been processed; {@link #drain()} lets it through after each iteration, outside the timing,
 * so every iteration starts from an empty ring, and {@link #stop()} checks that every event
 * published was processed, none rejected and none late, i.e. that the cheap path was not the
 * one measured. With the {@code INLINE} topology there is nothing to wait for: the producer runs
 * the chain itself right after publishing (so {@code ringFull} stays 0) and the score is the
 * chain's rate by construction.
 *
 * <p>Event time comes from a {@link WarpedClock} running {@value #TIME_WARP}x real time, and the
 * window is {@code panesPerWindow} slides of 1 s kept 60 s: the pane ring (128 panes for 60 s
 * windows) wraps within 8 s, inside warm-up, so the measured iterations see the steady state
 * of an hours-long run: a pane opened every 62.5 ms, windows evicted, panes reset and reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseSerialGC"})
public class PipelineBenchmark {
    static final int BATCH = 64;
    static final long TIME_WARP = 16;
    private static final Duration SLIDE = Duration.ofSeconds(1);
    private static final Duration RETENTION = Duration.ofSeconds(60);
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"INLINE", "SINGLE", "FUSED", "PER_STAGE"})
    public Topology topology;

    /** Window size over slide (W/S): how many overlapping windows hold each event. */
    @Param({"1", "6", "60"})
    public int panesPerWindow;

    /** Slots in the ring; the processor's default, overridable with {@code -p ringSize=N} to explore. */
    @Param({"16384"})
    public int ringSize;

    /**
     * Journal every event to a temporary directory ({@code -p journal=true}; segments deleted as the
     * windows move on), as the server does by default: its cost and its allocation per event.
     */
    @Param({"false"})
    public boolean journal;

    private Path journalDir;
    private WarpedClock clock;
    private MetricsSink sink;
    private StreamProcessor processor;
    private Ingestor ingestor;
    private EventMix mix;
    private long published;

    @Setup(Level.Trial)
    public void start() {
        clock = new WarpedClock(TIME_WARP);
        sink = new MetricsSink();
        processor = StreamProcessor.builder()
            .topology(topology)
            .window(SLIDE.multipliedBy(panesPerWindow), SLIDE)
            .retention(RETENTION)
            .ringSize(ringSize)
            .clock(clock)
            .addSink(sink)
            .journal(journalSettings())
            .build()
            .start();
        ingestor = processor.newIngestor();
        mix = new EventMix(42);
        published = 0;
        System.out.println("pipeline: " + topology + " topology, " + processor.settings().waitStrategy()
            + " wait strategy, " + ringSize + " slots, window " + panesPerWindow + " x 1 s");
    }

    private JournalSettings journalSettings() {
        if (!journal) {
            return null;
        }
        try {
            journalDir = Files.createTempDirectory("sp-bench-journal");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JournalSettings.in(journalDir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ingest(RingFull full) {
        while (!ingestor.claim(BATCH, null)) {
            full.onRingFull();
        }
        long now = clock.millis();
        for (int i = 0; i < BATCH; i++) {
            mix.write(ingestor.slot(i), now);
        }
        ingestor.publish();
        published += BATCH;
    }

    @TearDown(Level.Iteration)
    public void drain() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (processor.ringUsed() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline did not drain: " + processor.ringUsed() + " events stuck");
            }
            Thread.yield();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        StatsSnapshot s = processor.stats();
        processor.close();
        if (journalDir != null) {
            try {
                TempDirs.deleteTree(journalDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (s.totalReceived() != published || s.totalProcessed() != published || sink.events() != published
            || s.totalRejected() != 0 || s.totalLate() != 0 || s.totalFiltered() != 0) {
            throw new IllegalStateException("not every event took the full path: published " + published
                + ", received " + s.totalReceived() + ", processed " + s.totalProcessed()
                + ", sunk " + sink.events() + ", rejected " + s.totalRejected()
                + ", late " + s.totalLate() + ", filtered " + s.totalFiltered());
        }
    }
}
