package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Latency at a sane load, with the floor this machine puts under it. Each round first measures the
 * real server's single-event maximum (64 connections, closed loop), then runs every configuration,
 * one fresh server after another, at half that maximum: single events open loop (coordinated
 * omission corrected) and, beside them, {@code GET /aggregations} and {@code GET /health} at 200
 * requests/s each. The no-op baseline server (Netty on the same version and transport, answering
 * every request with a fixed body) runs the same load: its latency is what the load generator and
 * the two shared cores cost any server, and the server's own share is the difference. The
 * server's CPU time (from the JVM's process information) and context switches (from {@code /proc})
 * per request are taken over the measured seconds.
 *
 * <pre>
 *   perf/run-latency-bench.sh                              # 2 rounds of every configuration
 *   perf/run-latency-bench.sh --rounds 1 --configs noop,default
 * </pre>
 */
public final class LatencyBench {
    private static final int PORT = 18_000;
    private static final double WARMUP = 10;
    private static final double MEASURED = 20;
    private static final double QUERY_RATE = 200;

    /** The configurations, by name: the server's flags, or {@code noop} for the baseline. */
    static final Map<String, String> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("noop", null);
        CONFIGS.put("default", "");
        CONFIGS.put("inline", "--processor.topology inline");
        CONFIGS.put("ws60", "--window.slide 1s");
    }

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        int rounds = Integer.parseInt(BenchArgs.value(a, "--rounds", "2"));
        List<String> names = Arrays.asList(BenchArgs.value(a, "--configs", String.join(",", CONFIGS.keySet())).split(","));
        for (String name : names) {
            if (!CONFIGS.containsKey(name)) {
                throw new IllegalArgumentException("unknown configuration " + name + "; known: " + CONFIGS.keySet());
            }
        }
        Path root = Path.of("").toAbsolutePath();
        StringBuilder md = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Load average before: %s. Per configuration: %.0f s of load, then %.0f s measured; "
            + "`GET /aggregations` and `GET /health` at %.0f/s each (2 connections each) beside the single events "
            + "(64 connections, open loop).%n%n", BenchArgs.loadAverage(), WARMUP, MEASURED, QUERY_RATE));
        md.append("| round | configuration | server flags | single-event max req/s | rate req/s | p50 ms | p90 ms | p99 ms | p99.9 ms "
            + "| `/aggregations` p50 / p99 ms | `/health` p50 / p99 ms | server CPU µs/request | context switches/request |\n");
        md.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|\n");
        for (int round = 1; round <= rounds; round++) {
            double max;
            try (ScenarioServer server = ScenarioServer.real(root, PORT, "")) {
                max = LocalLoad.run(server.port, "--connections", "64", "--duration", "10", "--warmup", "8", "--label", "max")
                    .requestsPerSecond();
            }
            double rate = Math.floor(max / 2);
            for (String name : names) {
                String flags = CONFIGS.get(name);
                try (ScenarioServer server = flags == null ? ScenarioServer.baseline(root, "noop", PORT)
                    : ScenarioServer.withFlags(root, PORT, ScenarioServer.FLAGS, flags)) {
                    md.append(measure(round, name, flags, server, max, rate, notes));
                    System.out.println(md);
                }
            }
        }
        if (notes.length() > 0) {
            md.append('\n').append(notes);
        }
        Path out = root.resolve("perf/results/latency.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + root.relativize(out));
    }

    private static String measure(int round, String name, String flags, ScenarioServer server, double max, double rate,
        StringBuilder notes) throws Exception {
        String d = LocalLoad.whole(MEASURED);
        String w = LocalLoad.whole(WARMUP);
        CompletableFuture<LoadReport> singles = CompletableFuture.supplyAsync(() -> LocalLoad.run(server.port,
            "--connections", "64", "--rate", LocalLoad.whole(rate), "--duration", d, "--warmup", w, "--label", name + " singles"));
        CompletableFuture<LoadReport> queries = CompletableFuture.supplyAsync(() -> LocalLoad.run(server.port, "--method", "GET",
            "--path", "/aggregations", "--connections", "2", "--rate", LocalLoad.whole(QUERY_RATE), "--duration", d, "--warmup", w,
            "--label", name + " /aggregations"));
        CompletableFuture<LoadReport> health = CompletableFuture.supplyAsync(() -> LocalLoad.run(server.port, "--method", "GET",
            "--path", "/health", "--connections", "2", "--rate", LocalLoad.whole(QUERY_RATE), "--duration", d, "--warmup", w,
            "--label", name + " /health"));
        Thread.sleep((long) (WARMUP * 1000));
        long[] before = usage(server.process);
        Thread.sleep((long) (MEASURED * 1000));
        long[] after = usage(server.process);
        LoadReport s = singles.get();
        LoadReport q = queries.get();
        LoadReport h = health.get();
        long requests = Math.round((s.requestsPerSecond() + q.requestsPerSecond() + h.requestsPerSecond()) * MEASURED);
        double cpuMicros = (after[0] - before[0]) / 1_000.0 / requests;
        double switches = (double) (after[1] - before[1]) / requests;
        String row = String.format(Locale.ROOT, "| %d | %s | %s | %.0f | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.3f / %.3f | %.1f | %.2f |%n",
            round, name, flags == null ? "no-op baseline" : flags.isEmpty() ? "(defaults)" : "`" + flags + "`", max, rate,
            s.p50(), s.p90(), s.p99(), s.p999(), q.p50(), q.p99(), h.p50(), h.p99(), cpuMicros, switches);
        if (s.non2xx() + q.non2xx() + h.non2xx() > 0 || s.missedTarget()) {
            notes.append(String.format(Locale.ROOT, "- round %d, %s: not every request was answered 2xx at the rate "
                + "(single events %s, /aggregations %s, /health %s, %.0f of %.0f req/s)%n",
                round, name, s.statuses(), q.statuses(), h.statuses(), s.requestsPerSecond(), rate));
        }
        return row;
    }

    /** The process's CPU time so far in nanoseconds, and the context switches of all its threads. */
    private static long[] usage(Process process) throws IOException {
        long cpuNanos = process.info().totalCpuDuration().orElseThrow(
            () -> new IOException("the server's CPU time is not available on this system")).toNanos();
        long switches = 0;
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
                            switches += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException gone) {
                    // a thread that ended between the listing and the read
                }
            }
        }
        return new long[] {cpuNanos, switches};
    }
}
