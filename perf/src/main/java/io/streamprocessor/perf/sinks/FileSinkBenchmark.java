package io.streamprocessor.perf.sinks;

import io.streamprocessor.perf.TempDirs;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.file.FileSink;
import io.streamprocessor.connectors.file.FileSinkSettings;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.stats.StatsSnapshot;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Events per second through the in-process chain (SINGLE topology, the one the server picks on 2
 * cores) with no sink or with a file sink, and, under {@code -prof gc}, the bytes allocated per
 * event: JMH 1.37 on JDK 17 counts every thread of the JVM, so a figure near 0 means nothing is
 * allocated per event on the ring side (the pipeline's sink thread encoding into the sink's
 * buffer) nor on the sink's own thread (batches into the file). One producer, the benchmark
 * thread, claims {@value #BATCH} slots at a time, fire-and-forget; a full ring or a sink that
 * refuses (back-pressure) makes it spin, so the score is the slowest stage's rate.
 *
 * <p>The file goes to {@code perf/target/jmh-file-sink/}, rotated every 64 MiB; rotated files are
 * deleted after each iteration, outside the timing, so a run does not fill the disk.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar FileSinkBenchmark -prof gc} (see
 * {@code perf/run-file-sink-bench.sh} for the HTTP comparison, the target).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FileSinkBenchmark {
    static final int BATCH = 64;
    private static final Path DIR = Path.of("perf/target/jmh-file-sink");
    private static final char[][] TYPES = chars("page_view", "click", "purchase", "signup", "error", "api_call", "search", "logout");
    private static final char[][] REGIONS = chars("eu-west-1", "us-east-1", "ap-south-1", "sa-east-1");
    private static final char[] VALUE = "value".toCharArray();
    private static final char[] REGION = "region".toCharArray();

    @Param({"none", "file"})
    public String sink;

    private final char[][] sources = new char[64][];
    /** Values with their text, as the HTTP decoder hands them over: re-emitted as received, without formatting. */
    private final double[] values = new double[1024];
    private final char[][] valueText = new char[1024][];
    private StreamProcessor processor;
    private BufferedSink file;
    private Ingestor ingestor;
    private long published;
    private long n;

    /** Failed claims (ring full or the sink refusing) per iteration, printed by JMH as {@code refused}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Refused {
        public long refused;

        @Setup(Level.Iteration)
        public void reset() {
            refused = 0;
        }
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        TempDirs.deleteTree(DIR);
        for (int i = 0; i < sources.length; i++) {
            sources[i] = ("web-" + (i / 16) + "-node-" + i).toCharArray();
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25;
            valueText[i] = Double.toString(values[i]).toCharArray();
        }
        var builder = StreamProcessor.builder().topology(Topology.SINGLE);
        if (sink.equals("file")) {
            file = FileSink.create("file", FileSinkSettings.builder(DIR.resolve("events.ndjson")).rotateSize(64L << 20).build());
            builder.addSink(file);
        }
        processor = builder.build().start();
        ingestor = processor.newIngestor();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ingest(Refused r) {
        while (!ingestor.claim(BATCH, null)) {
            if ((++r.refused & 63) == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < BATCH; i++) {
            write(ingestor.slot(i), now);
        }
        ingestor.publish();
        published += BATCH;
    }

    private void write(EventWriter slot, long now) {
        long k = n++;
        char[] type = TYPES[(int) (k & 7)];
        char[] source = sources[(int) ((k >>> 3) & 63)];
        char[] region = REGIONS[(int) ((k >>> 9) & 3)];
        slot.type(type, 0, type.length).source(source, 0, source.length).timestamp(now - (k & 511));
        slot.data().startObject()
            .name(VALUE, 0, VALUE.length).number(values[(int) (k & 1023)], valueText[(int) (k & 1023)], 0,
                valueText[(int) (k & 1023)].length)
            .name(REGION, 0, REGION.length).string(region, 0, region.length)
            .endObject();
    }

    /** Lets the ring and the sink's buffer empty, and removes rotated files: outside the timing. */
    @TearDown(Level.Iteration)
    public void drain() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (processor.ringUsed() > 0 || file != null && file.status().buffered() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("did not drain within 60 s");
            }
            Thread.yield();
        }
        if (file != null) {
            try (Stream<Path> files = Files.list(DIR)) {
                for (Path p : files.toList()) {
                    if (!p.getFileName().toString().equals("events.ndjson")) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        StatsSnapshot s = processor.stats();
        processor.close();
        if (s.totalProcessed() != published || file != null && (file.status().written() != published || file.status().dropped() != 0)) {
            throw new IllegalStateException("not every event took the full path: published " + published + ", processed "
                + s.totalProcessed() + (file == null ? "" : ", written " + file.status().written() + ", dropped "
                + file.status().dropped()));
        }
        TempDirs.deleteTree(DIR);
    }

    private static char[][] chars(String... words) {
        char[][] out = new char[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].toCharArray();
        }
        return out;
    }
}
