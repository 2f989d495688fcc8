package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadGenerator;
import io.streamprocessor.perf.load.LoadOptions;
import io.streamprocessor.perf.load.LoadReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final String SERVER_FLAGS = "-Xms64m -Xmx512m -XX:+UseG1GC";
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
        try (Server noop = Server.baseline(root, "noop", PORT)) {
            noopSingle = load(noop, "--connections", "64", "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)),
                "--label", "no-op server, single POST");
            noopPipelined = load(noop, "--connections", "64", "--depth", "16", "--duration", fmt(seconds(10)),
                "--warmup", fmt(seconds(3)), "--label", "no-op server, depth 16");
        }
        LoadReport parseBatch;
        try (Server parse = Server.baseline(root, "parse", PORT)) {
            parseBatch = load(parse, "--connections", "8", "--batch", "1000", "--path", "/events/batch",
                "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)), "--label", "parse-only server, batch 1000");
        }
        LoadReport single;
        LoadReport pipelined;
        List<LoadReport> batches = new ArrayList<>();
        try (Server server = Server.real(root, PORT, "")) {
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
        try (Server server = Server.real(root, PORT, "")) {
            for (int rate : new int[] {10_000, 50_000, 100_000}) {
                latency.add(load(server, "--connections", "64", "--rate", String.valueOf(rate),
                    "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(3)), "--label", "single @ " + rate + "/s"));
            }
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
        try (Server server = Server.real(root, PORT, "")) {
            for (String path : new String[] {"/aggregations", "/stats"}) {
                String[] ingest = {"--connections", "32", "--rate", fmt(maxSingle / 2), "--duration", fmt(seconds(12)),
                    "--warmup", fmt(seconds(3)), "--label", "ingest @ half max"};
                CompletableFuture<LoadReport> background = CompletableFuture.supplyAsync(() -> loadUnchecked(server, ingest));
                LoadReport q = load(server, "--method", "GET", "--path", path, "--connections", "2", "--rate", "200",
                    "--duration", fmt(seconds(10)), "--warmup", fmt(seconds(4)), "--label", "GET " + path);
                LoadReport in = background.get();
                md.append(String.format(Locale.ROOT, "| GET %s | 200/s | %.3f | %.3f | %.3f | %.3f | %s | %.0f |%n",
                    path, q.p50(), q.p99(), q.p999(), q.max(), q.statuses(), in.requestsPerSecond()));
            }
        }
        md.append('\n');

        // ---------------------------------------------------------------- memory at rest
        md.append("## Memory\n\n");
        try (Server server = Server.real(root, PORT, "")) {
            md.append(String.format(Locale.ROOT, "- idle, just started: heap in use after a full GC %s, RSS %d MB%n",
                server.heapAfterGc(), server.rssKb() / 1024));
        }
        md.append("- under load: see the soak below (RSS sampled every second)\n\n");

        // ---------------------------------------------------------------- soak
        Path gcLog = root.resolve("perf/target/gc-soak.log");
        Files.deleteIfExists(gcLog);
        md.append("## Soak at 70% of maximum\n\n");
        try (Server server = Server.real(root, PORT, "-Xlog:gc:file=" + gcLog)) {
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
            Gc gc = Gc.parse(gcLog);
            md.append(String.format(Locale.ROOT,
                "- %.0f req/s achieved of %.0f targeted; p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; statuses %s; "
                    + "unanswered %d, connection errors %d%n",
                r.requestsPerSecond(), r.targetRate(), r.p50(), r.p99(), r.p999(), r.max(), r.statuses(),
                r.unanswered(), r.connectionErrors()));
            md.append(String.format(Locale.ROOT, "- throughput per second: %s%n", Arrays.toString(r.perSecond())));
            md.append(String.format(Locale.ROOT, "- GC (from the JVM's own log): %d young pauses, p99 %.2f ms, max %.2f ms; %d full GCs%n",
                gc.young, gc.p99(), gc.max(), gc.full));
            md.append(String.format(Locale.ROOT, "- RSS: %d MB at start, %d MB after 10 s, %d MB at the end (growth after warm-up %.1f%%), peak %d MB%n%n",
                rssBefore / 1024, warm / 1024, last / 1024, 100.0 * (last - warm) / Math.max(1, warm), peak / 1024));
        }

        // ---------------------------------------------------------------- overload
        md.append("## Overload at 2x maximum, then back to half\n\n");
        // In events, with batches of 1,000: 64 connections then hold 64,000 events in flight, four
        // times the ring, so the server must shed. (Single events on a fixed set of connections
        // never fill the ring: the excess just queues in the clients.)
        double maxBatch = batches.get(batches.size() - 1).requestsPerSecond();
        try (Server server = Server.real(root, PORT, "")) {
            CompletableFuture<LoadReport> flood = CompletableFuture.supplyAsync(() -> loadUnchecked(server,
                "--connections", "64", "--batch", "1000", "--rate", fmt(maxBatch * 2), "--duration", fmt(seconds(10)),
                "--warmup", fmt(seconds(2)), "--label", "overload @ 2x max, batches of 1000"));
            LoadReport health = load(server, "--method", "GET", "--path", "/health", "--connections", "1", "--rate", "50",
                "--duration", fmt(seconds(8)), "--warmup", fmt(seconds(3)), "--label", "GET /health during overload");
            LoadReport over = flood.get();
            LoadReport after = load(server, "--connections", "8", "--batch", "1000", "--rate", fmt(maxBatch / 2),
                "--duration", fmt(seconds(5)), "--warmup", "0", "--label", "half max right after");
            md.append(String.format(Locale.ROOT, "- at 2x (%.0f batches/s offered = %.0f events/s): %.0f answered per second "
                    + "(%.0f events/s accepted), statuses %s, p99 %.3f ms over all answers%n",
                over.targetRate(), over.targetRate() * 1000, over.requestsPerSecond(),
                over.statuses().getOrDefault(200, 0L) * 1000.0 / over.durationSeconds(), over.statuses(), over.p99()));
            md.append(String.format(Locale.ROOT, "- GET /health during overload: p50 %.3f ms, p99 %.3f ms, max %.3f ms, statuses %s%n",
                health.p50(), health.p99(), health.max(), health.statuses()));
            md.append(String.format(Locale.ROOT, "- right after, at half max: %.0f events/s, per second %s, statuses %s, p99 %.3f ms%n%n",
                after.eventsPerSecond(), Arrays.toString(after.perSecond()), after.statuses(), after.p99()));
        }

        // ---------------------------------------------------------------- generator headroom and wrk cross-check
        md.append("## The generator itself, and a cross-check with wrk\n\n");
        try (Server noop = Server.baseline(root, "noop", PORT)) {
            String wrk = wrk(noop.port, "/events");
            md.append("- wrk against the no-op server (64 connections, 1 thread, 10 s): `" + wrk + "`\n");
        }
        try (Server server = Server.real(root, PORT, "")) {
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

    private LoadReport load(Server server, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + server.port));
        all.addAll(List.of(args));
        commands.add(all.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a)
            .collect(java.util.stream.Collectors.joining(" ")) + "    # against " + server.name);
        LoadReport r = LoadGenerator.run(LoadOptions.parse(all.toArray(new String[0])));
        System.out.println(r.row());
        return r;
    }

    private LoadReport loadUnchecked(Server server, String... args) {
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

    /** A server JVM started for a scenario and stopped (SIGTERM, drained) afterwards. */
    private static final class Server implements AutoCloseable {
        final String name;
        final int port;
        final Process process;

        private Server(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.process = process;
        }

        static Server real(Path root, int port, String extraFlags) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(List.of(SERVER_FLAGS.split(" ")));
            if (!extraFlags.isEmpty()) {
                cmd.addAll(List.of(extraFlags.split(" ")));
            }
            cmd.addAll(List.of("-jar", root.resolve("transport/target/stream-processor.jar").toString(),
                "--port", String.valueOf(port),
                // a journal of its own per start, so a run never replays an earlier one's events
                "--journal.dir", Files.createTempDirectory("sp-journal").toString()));
            return start("server", port, cmd);
        }

        static Server baseline(Path root, String mode, int port) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(List.of(SERVER_FLAGS.split(" ")));
            cmd.addAll(List.of("-cp", root.resolve("perf/target/benchmarks.jar").toString(),
                "io.streamprocessor.perf.baseline.BaselineServer", mode, String.valueOf(port)));
            return start(mode + " baseline", port, cmd);
        }

        private static Server start(String name, int port, List<String> cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.contains("listening on")) {
                            Thread drain = new Thread(() -> {
                                try {
                                    while (out.readLine() != null) {
                                        // keep the pipe from filling
                                    }
                                } catch (IOException ignored) {
                                    // process gone
                                }
                            });
                            drain.setDaemon(true);
                            drain.start();
                            return true;
                        }
                    }
                } catch (IOException e) {
                    return false;
                }
                return false;
            });
            Boolean ok = ready.completeOnTimeout(false, 30, TimeUnit.SECONDS).join();
            if (!ok) {
                p.destroyForcibly();
                throw new IOException(name + " did not start: " + cmd);
            }
            waitHealthy(port);
            return new Server(name, port, p);
        }

        private static void waitHealthy(int port) throws InterruptedException {
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 50; i++) {
                try {
                    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() > 0) {
                        return;
                    }
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
        }

        /** Heap in use after {@code jcmd GC.run}, as the server's own {@code /health} reports it. */
        String heapAfterGc() {
            try {
                Process gc = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "GC.run")
                    .redirectErrorStream(true).start();
                gc.getInputStream().readAllBytes();
                gc.waitFor(30, TimeUnit.SECONDS);
                HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
                Matcher m = Pattern.compile("\"heapUsed\":(\\d+)").matcher(r.body());
                return m.find() ? (Long.parseLong(m.group(1)) >> 20) + " MB" : "unknown (" + r.body() + ")";
            } catch (IOException | InterruptedException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }

        long rssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Pauses from a {@code -Xlog:gc} file. */
    private record Gc(int young, int full, double[] pauses) {
        static Gc parse(Path log) throws IOException {
            if (!Files.exists(log)) {
                return new Gc(0, 0, new double[0]);
            }
            Pattern pause = Pattern.compile("Pause (Young|Full|Remark|Cleanup).* ([0-9.]+)ms");
            int young = 0;
            int full = 0;
            List<Double> pauses = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = pause.matcher(line);
                if (m.find()) {
                    if (m.group(1).equals("Full")) {
                        full++;
                    } else if (m.group(1).equals("Young")) {
                        young++;
                    }
                    pauses.add(Double.parseDouble(m.group(2)));
                }
            }
            double[] p = pauses.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Gc(young, full, p);
        }

        double p99() {
            return pauses.length == 0 ? 0 : pauses[Math.min(pauses.length - 1, (int) Math.ceil(pauses.length * 0.99) - 1)];
        }

        double max() {
            return pauses.length == 0 ? 0 : pauses[pauses.length - 1];
        }
    }
}
