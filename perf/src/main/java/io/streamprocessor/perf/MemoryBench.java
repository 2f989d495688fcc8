package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadReport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Memory under sustained load, one JVM configuration after another: the real server soaked with
 * single events at a fixed rate (64 connections, open loop) and batches of 1,000 at once (4
 * connections), RSS sampled every second, and the collector's own log read for its pauses.
 * Reports RSS at rest and its peak and median under load, young-pause p99 and max and full
 * collections during the measured time (start-up and warm-up left out), and the load achieved, so each lever (heap size, collector, ring size) is read
 * against the same load.
 *
 * <pre>
 *   perf/run-memory-bench.sh                                  # every configuration, 60 s each
 *   perf/run-memory-bench.sh --duration 30 --configs g1-512,serial-128
 *   perf/run-memory-bench.sh --rate 20000 --batch-rate 50
 * </pre>
 */
public final class MemoryBench {
    private static final int PORT = 18_000;

    /** The configurations compared, by name: JVM flags, then server flags after a {@code |}. */
    static final Map<String, String> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("g1-512", "-Xms64m -Xmx512m -XX:+UseG1GC|");
        CONFIGS.put("g1-128", "-Xms32m -Xmx128m -XX:+UseG1GC|");
        CONFIGS.put("parallel-128", "-Xms32m -Xmx128m -XX:+UseParallelGC|");
        CONFIGS.put("serial-128", "-Xms32m -Xmx128m -XX:+UseSerialGC|");
        CONFIGS.put("serial-64", "-Xms32m -Xmx64m -XX:+UseSerialGC|");
        CONFIGS.put("serial-96-ring-8192", "-Xms32m -Xmx96m -XX:+UseSerialGC|--processor.ring-size 8192 --server.max-batch-events 8192");
    }

    private MemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        double duration = Double.parseDouble(BenchArgs.value(a, "--duration", "60"));
        double rate = Double.parseDouble(BenchArgs.value(a, "--rate", "20000"));
        double batchRate = Double.parseDouble(BenchArgs.value(a, "--batch-rate", "100"));
        List<String> names = Arrays.asList(BenchArgs.value(a, "--configs", String.join(",", CONFIGS.keySet())).split(","));
        Path root = Path.of("").toAbsolutePath();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Load: %.0f single events/s (64 connections, open loop) and %.0f batches of 1,000/s "
            + "(4 connections, open loop), %.0f s measured after 10 s.%n%n", rate, batchRate, duration));
        md.append("| configuration | flags | RSS at rest MB | RSS median under load MB | RSS peak MB | young pauses | young p99 ms | max pause ms | full GCs | singles/s achieved | batch events/s achieved |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String name : names) {
            String config = CONFIGS.get(name);
            if (config == null) {
                throw new IllegalArgumentException("unknown configuration " + name + "; known: " + CONFIGS.keySet());
            }
            String[] parts = config.split("\\|", -1);
            Path gcLog = root.resolve("perf/target/gc-" + name + ".log");
            Files.deleteIfExists(gcLog);
            String jvm = parts[0] + " -Xlog:gc:file=" + gcLog;
            try (ScenarioServer server = ScenarioServer.withFlags(root, PORT, jvm, parts[1])) {
                long rest = server.rssKb();
                String seconds = LocalLoad.whole(duration);
                CompletableFuture<LoadReport> singles = CompletableFuture.supplyAsync(() -> LocalLoad.run(server.port,
                    "--connections", "64", "--rate", LocalLoad.whole(rate), "--duration", seconds, "--warmup", "10",
                    "--label", name + " singles"));
                CompletableFuture<LoadReport> batches = CompletableFuture.supplyAsync(() -> LocalLoad.run(server.port,
                    "--connections", "4", "--batch", "1000", "--rate", LocalLoad.whole(batchRate), "--duration", seconds,
                    "--warmup", "10", "--label", name + " batches"));
                List<Long> rss = new ArrayList<>();
                long measureFrom = System.nanoTime() + 10_000_000_000L;
                // GC pauses count from the same moment, in the server's own uptime (start-up's are left out).
                double fromUptime = server.uptimeSeconds() + 10;
                while (!singles.isDone() || !batches.isDone()) {
                    if (System.nanoTime() > measureFrom) {
                        rss.add(server.rssKb());
                    }
                    Thread.sleep(1_000);
                }
                LoadReport s = singles.get();
                LoadReport b = batches.get();
                long[] sorted = rss.stream().mapToLong(Long::longValue).sorted().toArray();
                GcLog gc = GcLog.parse(gcLog, fromUptime);
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %d | %d | %.2f | %.2f | %d | %.0f | %.0f |%n",
                    name, (parts[0] + " " + parts[1]).trim(), rest / 1024, sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1024,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1024, gc.young(), gc.youngP99(), gc.max(), gc.full(),
                    s.acceptedEventsPerSecond(), b.acceptedEventsPerSecond()));
                System.out.println(md);
            }
        }
        Path out = root.resolve("perf/results/memory.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + root.relativize(out));
    }
}
