package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadGenerator;
import io.streamprocessor.perf.load.LoadOptions;
import io.streamprocessor.perf.load.LoadReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every HTTP scenario of the perf harness against the real server and its baselines, each
 * a separate JVM started and stopped here one at a time, and rewrites {@code perf/RESULTS.md}.
 * Every server scenario is reported beside its baseline measured minutes apart in this run.
 *
 * <p>Run through {@code perf/run.sh} (which builds first). {@code --quick} shortens every phase
 * for a smoke run; {@code --out FILE} writes elsewhere.
 */
public final class Scenarios {
    private static final int PORT = 18_000;
    private static final String SERVER_FLAGS = ScenarioServer.FLAGS;
    private final boolean quick;
    private final Path root;
    private final List<String> sections = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();

    private Scenarios(boolean quick, Path root) {
        this.quick = quick;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path out = Path.of("perf/RESULTS-http.md");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[i + 1]);
            }
        }
        Scenarios s = new Scenarios(quick, Path.of("").toAbsolutePath());
        String report = s.runAll();
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private double seconds(double full) {
        return quick ? Math.max(2, full / 5) : full;
    }

    private String runAll() throws Exception {
        StringBuilder md = new StringBuilder();
        // ---------------------------------------------------------------- throughput ceilings
        LoadReport noopSingle;
        LoadReport noopPipelined;
        try (ScenarioServer noop = ScenarioServer.baseline(root, "noop", PORT)) {
            noopSingle = load(noop, "--connections", "64", "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)),
                "--label", "no-op server, single POST");
            noopPipelined = load(noop, "--connections", "64", "--depth", "16", "--duration", fmt(seconds(10)),
                "--warmup", fmt(seconds(3)), "--label", "no-op server, depth 16");
        }
        LoadReport parseBatch;
        try (ScenarioServer parse = ScenarioServer.baseline(root, "parse", PORT)) {
            parseBatch = load(parse, "--connections", "8", "--batch", "1000", "--path", "/events/batch",
                "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)), "--label", "parse-only server, batch 1000");
        }
        LoadReport single;
        LoadReport pipelined;
        List<LoadReport> batches = new ArrayList<>();
        try (ScenarioServer server = ScenarioServer.real(root, PORT, "")) {
            single = load(server, "--connections", "64", "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)),
                "--label", "server, single POST /events");
            pipelined = load(server, "--connections", "64", "--depth", "16", "--duration", fmt(seconds(10)),
                "--warmup", fmt(seconds(3)), "--label", "server, depth 16");
            for (int batch : new int[] {10, 100, 1000}) {
                batches.add(load(server, "--connections", batch >= 1000 ? "8" : "32", "--batch", String.valueOf(batch),
                    "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(3)), "--label", "server, batch " + batch));
            }
        }
        md.append("## Throughput against the ceilings\n\n");
        md.append("| scenario | req/s | events/s | p99 ms | statuses | baseline | baseline req/s (events/s) | ratio |\n");
        md.append("|---|---:|---:|---:|---|---|---:|---:|\n");
        row(md, single, noopSingle, false);
        row(md, pipelined, noopPipelined, false);
        for (LoadReport b : batches) {
            row(md, b, b.batch() == 1000 ? parseBatch : null, true);
        }
        md.append('\n');

        // ---------------------------------------------------------------- latency at constant rates
        double maxSingle = single.requestsPerSecond();
        List<LoadReport> latency = new ArrayList<>();
        try (ScenarioServer server = ScenarioServer.real(root, PORT, "")) {
            for (int rate : new int[] {10_000, 50_000, 100_000}) {
                latency.add(load(server, "--connections", "64", "--rate", String.valueOf(rate),
                    "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(3)), "--label", "single @ " + rate + "/s"));
            }
            // The sane load: half of the single-event maximum measured above in this run.
            latency.add(load(server, "--connections", "64", "--rate", fmt(maxSingle / 2),
                "--duration", fmt(seconds(20)), "--warmup", fmt(seconds(10)),
                "--label", String.format(Locale.ROOT, "single @ 50%% of max (%.0f/s of %.0f/s)", maxSingle / 2, maxSingle)));
            latency.add(load(server, "--connections", "16", "--batch", "100", "--rate", "5000",
                "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(3)), "--label", "batch 100 @ 500k events/s"));
        }
        md.append("## Latency at constant rates (open loop, coordinated-omission corrected)\n\n");
        md.append("| scenario | achieved req/s | events/s | p50 | p90 | p99 | p99.9 | max | uncorrected p99 | statuses |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (LoadReport r : latency) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f%s | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n",
                r.label(), r.requestsPerSecond(), r.missedTarget() ? " (target missed)" : "", r.eventsPerSecond(),
                r.p50(), r.p90(), r.p99(), r.p999(), r.max(), r.uncorrectedP99(), r.statuses()));
        }
        md.append('\n');

        // ---------------------------------------------------------------- queries under load
        md.append("## Queries while ingestion runs at half of its maximum\n\n");
        md.append("| query | rate | p50 ms | p99 ms | p99.9 ms | max ms | statuses | ingestion achieved req/s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (String window : new String[] {"", "--window.slide 1s"}) {
        try (ScenarioServer server = ScenarioServer.withFlags(root, PORT, SERVER_FLAGS, window)) {
            for (String path : window.isEmpty() ? new String[] {"/aggregations", "/stats"} : new String[] {"/aggregations"}) {
                String[] ingest = {"--connections", "32", "--rate", fmt(maxSingle / 2), "--duration", fmt(seconds(12)),
                    "--warmup", fmt(seconds(3)), "--label", "ingest @ half max"};
                CompletableFuture<LoadReport> background = CompletableFuture.supplyAsync(() -> loadUnchecked(server, ingest));
                LoadReport q = load(server, "--method", "GET", "--path", path, "--connections", "2", "--rate", "200",
                    "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)), "--label", "GET " + path);
                LoadReport in = background.get();
                md.append(String.format(Locale.ROOT, "| GET %s%s | 200/s | %.3f | %.3f | %.3f | %.3f | %s | %.0f |%n",
                    path, window.isEmpty() ? " (60 s / 10 s)" : " (60 s / 1 s: W/S = 60)", q.p50(), q.p99(), q.p999(), q.max(),
                    q.statuses(), in.requestsPerSecond()));
            }
        }
        }
        md.append('\n');

        // ---------------------------------------------------------------- memory at rest
        md.append("## Memory\n\n");
        try (ScenarioServer server = ScenarioServer.real(root, PORT, "")) {
            md.append(String.format(Locale.ROOT, "- idle, just started: heap in use after a full GC %s, RSS %d MB%n",
                server.heapAfterGc(), server.rssKb() / 1024));
        }
        md.append("- under load: see the soak below (RSS sampled every second)\n\n");

        // ---------------------------------------------------------------- soak
        Path gcLog = root.resolve("perf/target/gc-soak.log");
        Files.deleteIfExists(gcLog);
        md.append("## Soak at 70% of maximum\n\n");
        try (ScenarioServer server = ScenarioServer.real(root, PORT, "-Xlog:gc:file=" + gcLog)) {
            long rssBefore = server.rssKb();
            CompletableFuture<LoadReport> soak = CompletableFuture.supplyAsync(() -> loadUnchecked(server,
                "--connections", "64", "--rate", fmt(maxSingle * 0.7), "--duration", fmt(seconds(60)),
                "--warmup", fmt(seconds(5)), "--label", "soak @ 70% max"));
            List<Long> rss = new ArrayList<>();
            while (!soak.isDone()) {
                rss.add(server.rssKb());
                Thread.sleep(1000);
            }
            LoadReport r = soak.get();
            long warm = rss.size() > 10 ? rss.get(10) : rssBefore;
            long last = rss.isEmpty() ? rssBefore : rss.get(rss.size() - 1);
            long peak = rss.stream().mapToLong(Long::longValue).max().orElse(rssBefore);
            GcLog gc = GcLog.parse(gcLog);
            md.append(String.format(Locale.ROOT,
                "- %.0f req/s achieved of %.0f targeted; p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; statuses %s; "
                    + "unanswered %d, connection errors %d%n",
                r.requestsPerSecond(), r.targetRate(), r.p50(), r.p99(), r.p999(), r.max(), r.statuses(),
                r.unanswered(), r.connectionErrors()));
            md.append(String.format(Locale.ROOT, "- throughput per second: %s%n", Arrays.toString(r.perSecond())));
            md.append(String.format(Locale.ROOT, "- GC (from the JVM's own log): %d young pauses, p99 %.2f ms, max %.2f ms; %d full GCs%n",
                gc.young(), gc.p99(), gc.max(), gc.full()));
            md.append(String.format(Locale.ROOT, "- RSS: %d MB at start, %d MB after 10 s, %d MB at the end (growth after warm-up %.1f%%), peak %d MB%n%n",
                rssBefore / 1024, warm / 1024, last / 1024, 100.0 * (last - warm) / Math.max(1, warm), peak / 1024));
        }

        // ---------------------------------------------------------------- overload
        md.append(new OverloadBench(root, quick, commands::add).run());

        // ---------------------------------------------------------------- generator headroom and wrk cross-check
        md.append("## The generator itself, and a cross-check with wrk\n\n");
        try (ScenarioServer noop = ScenarioServer.baseline(root, "noop", PORT)) {
            String wrk = wrk(noop.port, "/events");
            md.append("- wrk against the no-op server (64 connections, 1 thread, 10 s): `" + wrk + "`\n");
        }
        try (ScenarioServer server = ScenarioServer.real(root, PORT, "")) {
            LoadReport ours = load(server, "--connections", "64", "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)),
                "--label", "server, single POST (ours)");
            String wrk = wrk(server.port, "/events");
            md.append(String.format(Locale.ROOT, "- our generator against the server: %.0f req/s; wrk against the server: `%s`%n",
                ours.requestsPerSecond(), wrk));
        }
        md.append('\n');

        StringBuilder head = new StringBuilder();
        head.append("# HTTP scenarios\n\n");
        head.append("Generated by `perf/run.sh").append(quick ? " --quick" : "").append("` on ")
            .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(".\n\n");
        head.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
            .append(cpuModel()).append(", Java ").append(System.getProperty("java.version")).append(" (")
            .append(System.getProperty("java.vm.name")).append(").\n");
        head.append("The load generator runs in the same box and shares its 2 cores with the server: read ratios, not absolutes.\n");
        head.append("Servers run as separate JVMs with `").append(SERVER_FLAGS).append("`, one at a time.\n\n");
        head.append(md);
        head.append("## Commands\n\nEvery generator run above, in order (`java -cp perf/target/benchmarks.jar io.streamprocessor.perf.load.LoadGenerator ...`):\n\n```\n");
        for (String c : commands) {
            head.append(c).append('\n');
        }
        head.append("```\n");
        return head.toString();
    }

    private void row(StringBuilder md, LoadReport r, LoadReport baseline, boolean events) {
        String ratio = "";
        String base = "—";
        String baseRate = "—";
        if (baseline != null) {
            double a = events ? r.eventsPerSecond() : r.requestsPerSecond();
            double b = events ? baseline.eventsPerSecond() : baseline.requestsPerSecond();
            ratio = String.format(Locale.ROOT, "%.0f%%", 100 * a / b);
            base = baseline.label();
            baseRate = String.format(Locale.ROOT, "%.0f (%.0f)", baseline.requestsPerSecond(), baseline.eventsPerSecond());
        }
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.3f | %s | %s | %s | %s |%n",
            r.label(), r.requestsPerSecond(), r.eventsPerSecond(), r.p99(), r.statuses(), base, baseRate, ratio));
    }

    private LoadReport load(ScenarioServer server, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + server.port));
        all.addAll(List.of(args));
        commands.add(all.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a)
            .collect(java.util.stream.Collectors.joining(" ")) + "    # against " + server.name);
        LoadReport r = LoadGenerator.run(LoadOptions.parse(all.toArray(new String[0])));
        System.out.println(r.row());
        return r;
    }

    private LoadReport loadUnchecked(ScenarioServer server, String... args) {
        try {
            return load(server, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String wrk(int port, String path) throws IOException, InterruptedException {
        Path script = root.resolve("perf/target/post-event.lua");
        Files.writeString(script, """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '{"type":"metric","source":"web-server-1","data":{"value":95.5,"unit":"ms","endpoint":"/api/users"}}'
            """);
        String duration = quick ? "3s" : "10s";
        List<String> cmd = List.of("wrk", "-t1", "-c64", "-d" + duration, "-s", script.toString(),
            "http://127.0.0.1:" + port + path);
        // Recorded relative to the repository, as a reader runs it from there.
        commands.add(String.join(" ", cmd).replace(script.toString(), root.relativize(script).toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "wrk not installed (apt-get install wrk)";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher lat = Pattern.compile("Latency\\s+(\\S+)").matcher(out);
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        return (m.find() ? m.group(1) + " req/s" : "no result") + (lat.find() ? ", mean latency " + lat.group(1) : "")
            + (non2xx.find() ? ", non-2xx " + non2xx.group(1) : "");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
