package io.streamprocessor.perf;

import io.streamprocessor.perf.load.LoadGenerator;
import io.streamprocessor.perf.load.LoadOptions;
import io.streamprocessor.perf.load.LoadReport;
import io.streamprocessor.perf.load.Probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Drives the real server far past what it can parse and records whether it stays reachable:
 * liveness probes on fresh connections ({@code GET /health}, {@code /stats}, {@code /metrics}
 * every 50 ms, 2 s timeout, as an orchestrator's), how much is shed (503 share and how fast a
 * 503 comes back, to the flood's clients and to a new client probing with a batch of 1,000 on a
 * fresh connection every 50 ms), the goodput against the server's own maximum measured first, and how soon
 * after the flood a request is served normally. Three floods, each against a fresh server:
 * batches of 1,000 from 256 connections whose clients send again at once after a 503, the same
 * with clients that wait as {@code Retry-After} asks, and pipelined single events (256
 * connections, 16 in flight each). Loopback only, bounded in time (about 2 minutes; {@code
 * --quick} about 1). {@code --server "ARGS"} starts each server with these settings added, for
 * comparing one (such as {@code --server.overload-delay 10ms}) with the defaults.
 *
 * <p>Run by {@code perf/run-overload.sh} alone, and by {@link Scenarios} as one of its sections.
 */
public final class OverloadBench {
    private static final int PORT = 18_000;
    /** The events in each probing {@code POST /events/batch}. */
    private static final int PROBE_BATCH = 1_000;
    private final Path root;
    private final boolean quick;
    private final Consumer<String> commandLog;
    private final String serverArgs;

    OverloadBench(Path root, boolean quick, Consumer<String> commandLog) {
        this(root, quick, commandLog, "");
    }

    OverloadBench(Path root, boolean quick, Consumer<String> commandLog, String serverArgs) {
        this.root = root;
        this.quick = quick;
        this.commandLog = commandLog;
        this.serverArgs = serverArgs;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int server = List.of(args).indexOf("--server");
        String serverArgs = server >= 0 && server + 1 < args.length ? args[server + 1] : "";
        List<String> commands = new ArrayList<>();
        String md = new OverloadBench(Path.of("").toAbsolutePath(), quick, commands::add, serverArgs).run();
        StringBuilder out = new StringBuilder(md).append("Commands (`java -cp perf/target/benchmarks.jar io.streamprocessor.perf.load.LoadGenerator ...`"
            + " and `... Probe ...`), in order:\n\n```\n");
        commands.forEach(c -> out.append(c).append('\n'));
        out.append("```\n");
        Path file = Path.of("perf/results/overload.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        System.out.println(out);
        System.out.println("wrote " + file);
    }

    private double seconds(double full) {
        return quick ? Math.max(3, full / 3) : full;
    }

    /** Runs the three floods; returns their section of the report, in Markdown. */
    String run() throws Exception {
        StringBuilder md = new StringBuilder("## Overload: reachable, shedding, and back at once\n\n");
        if (!serverArgs.isBlank()) {
            md.append("Servers started with `").append(serverArgs.trim()).append("`.\n\n");
        }
        md.append("| flood | goodput events/s (of max) | answered | shed (503) | 503 p99 ms | probe | sent | failed | p50 ms | p99 ms | max ms |\n");
        md.append("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        List<String> after = new ArrayList<>();
        flood(md, after, "batches of 1,000, 256 connections, resend at once",
            "--connections", "256", "--batch", "1000");
        flood(md, after, "batches of 1,000, 256 connections, honour Retry-After",
            "--connections", "256", "--batch", "1000", "--retry-after");
        flood(md, after, "single events, 256 connections x 16 pipelined",
            "--connections", "256", "--depth", "16");
        md.append('\n');
        after.forEach(a -> md.append("- ").append(a).append('\n'));
        md.append('\n');
        return md.toString();
    }

    private void flood(StringBuilder md, List<String> after, String label, String... floodArgs)
        throws Exception {
        boolean batch = List.of(floodArgs).contains("--batch");
        try (ScenarioServer server = ScenarioServer.withFlags(root, PORT, ScenarioServer.FLAGS, serverArgs)) {
            // The server's own maximum for this kind of request, closed loop at a concurrency it keeps up with.
            LoadReport max = load(server, batch
                ? new String[] {"--connections", "8", "--batch", "1000", "--duration", fmt(seconds(8)), "--warmup", fmt(seconds(8)),
                    "--label", "max, batches of 1000"}
                : new String[] {"--connections", "64", "--duration", fmt(seconds(8)), "--warmup", fmt(seconds(8)),
                    "--label", "max, single events"});
            double measured = seconds(20);
            List<String> all = new ArrayList<>(List.of(floodArgs));
            all.addAll(List.of("--duration", fmt(measured), "--warmup", "2", "--label", "flood: " + label));
            CompletableFuture<LoadReport> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return load(server, all.toArray(new String[0]));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(4_000); // the flood's warm-up, and its first passes
            CompletableFuture<List<Probe.Report>> probes = probe(server.port, "/health,/stats,/metrics,/events/batch", measured - 5);
            LoadReport r = flood.get();
            double maxEvents = max.acceptedEventsPerSecond();
            long total = r.statuses().values().stream().mapToLong(Long::longValue).sum();
            long shed = r.statuses().getOrDefault(503, 0L);
            boolean first = true;
            for (Probe.Report p : probes.get()) {
                System.out.println(p.row());
                md.append(first
                    ? String.format(Locale.ROOT, "| %s | %.0f (%.0f%%) | %s | %.1f%% | %.1f | ",
                        label, r.acceptedEventsPerSecond(), 100 * r.acceptedEventsPerSecond() / maxEvents, r.statuses(),
                        100.0 * shed / Math.max(1, total), r.shedP99())
                    : "| | | | | | ");
                String what = p.path().startsWith("/events")
                    ? "POST " + p.path() + " (" + PROBE_BATCH + " events; answered " + p.statuses()
                        + (Double.isNaN(p.shedP99()) ? "" : String.format(Locale.ROOT, ", 503 p99 %.1f ms", p.shedP99())) + ")"
                    : "GET " + p.path();
                md.append(String.format(Locale.ROOT, "%s | %d | %d | %.1f | %.1f | %.1f |%n",
                    what, p.sent(), p.failures(), p.p50(), p.p99(), p.max()));
                first = false;
            }
            after.add(String.format(Locale.ROOT, "%s: maximum first %.0f events/s; right after the flood %s", label,
                maxEvents, firstRequestAfter(server.port, batch)));
        }
    }

    /**
     * Probes each of the comma-separated {@code path}s from a process of its own, as an orchestrator would from elsewhere: at a
     * higher scheduling priority than the load generator (nice -5, where allowed), so that its own
     * wait for one of the two shared cores is not counted against the server.
     */
    private CompletableFuture<List<Probe.Report>> probe(int port, String path, double seconds) {
        List<String> cmd = List.of("nice", "-n", "-5", "java", "-cp", root.resolve("perf/target/benchmarks.jar").toString(),
            Probe.class.getName(), "--url", "http://127.0.0.1:" + port, "--path", path, "--interval-ms", "50",
            "--timeout-ms", "2000", "--warmup", "1", "--post-batch", String.valueOf(PROBE_BATCH), "--duration", fmt(seconds));
        commandLog.accept(String.join(" ", cmd.subList(0, 4)) + " -cp perf/target/benchmarks.jar " + Probe.class.getName() + " "
            + String.join(" ", cmd.subList(7, cmd.size())) + "    # during the flood");
        return CompletableFuture.supplyAsync(() -> {
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor();
                return out.lines().filter(l -> l.startsWith("probe ")).map(Probe.Report::parse).toList();
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The first request after the flood: its status and how long it took. */
    private static String firstRequestAfter(int port, boolean batch) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = batch
            ? "[{\"type\":\"metric\",\"source\":\"after\",\"data\":{\"value\":1}}]"
            : "{\"type\":\"metric\",\"source\":\"after\",\"data\":{\"value\":1}}";
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + (batch ? "/events/batch" : "/events")))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return String.format(Locale.ROOT, "the next POST was answered %d in %.1f ms", r.statusCode(),
            (System.nanoTime() - start) / 1e6);
    }

    private LoadReport load(ScenarioServer server, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + server.port));
        all.addAll(List.of(args));
        commandLog.accept(String.join(" ", all.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList())
            + "    # against " + server.name);
        LoadReport r = LoadGenerator.run(LoadOptions.parse(all.toArray(new String[0])));
        System.out.println(r.row());
        return r;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
