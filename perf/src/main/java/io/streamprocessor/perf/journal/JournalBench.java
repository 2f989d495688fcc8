package io.streamprocessor.perf.journal;

import io.streamprocessor.perf.ServerOutput;
import io.streamprocessor.perf.load.LoadGenerator;
import io.streamprocessor.perf.load.LoadOptions;
import io.streamprocessor.perf.load.LoadReport;
import org.HdrHistogram.Histogram;

import io.streamprocessor.perf.TempDirs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.streamprocessor.perf.BenchArgs.loadAverage;
import static io.streamprocessor.perf.BenchArgs.value;

/**
 * The journal's cost and its recovery, against the real launcher ({@code transport/target/stream-processor.jar},
 * separate JVMs with the flags of the HTTP harness, a journal directory of their own under {@code /tmp}).
 *
 * <p><b>Ingestion</b> (the default): batch ingestion ({@code POST /events/batch} × 1,000, closed
 * loop, the project's load generator on the same machine) with {@code --journal.enabled false},
 * {@code --journal.fsync none} and {@code --journal.fsync batch}, alternating in every round so
 * drift on a shared machine falls on all three. Prints each run (events/s, p50/p99 latency, the
 * journal's bytes per event), then the mean rates, the ratios none/off (target ≥ 90%) and
 * batch/off (target ≥ 50%), and each mode's p99 beside this disk's fsync time measured at the
 * start ({@link FsyncProbe}).
 *
 * <p><b>Recovery</b> ({@code --recovery}): journals {@code --events} (10 million) events without
 * timestamps (so their event time is their arrival, inside the retained windows) by posting
 * batches to a server with the journal on, kills it ({@code --signal KILL}, the default, or
 * {@code TERM}), restarts it on the same directory and measures the time from starting the
 * process to the first {@code POST /events} answered 200 (target ≤ 10 s, polled every 10 ms from
 * the start) and the replay rate from the launcher's {@code journal: replayed N events ... in T ms}
 * line (target ≥ 2 million events/s); {@code --restarts N} repeats kill and restart;
 * {@code --restart-jvm-flags "..."} adds JVM flags to the restarted servers (a JFR recording, say).
 *
 * <p>Run from the repository root: {@code perf/run-journal-bench.sh [--rounds N] [--duration S]
 * [--warmup S] [--connections N] [--batch N] [--modes off,none,batch]} or
 * {@code perf/run-journal-bench.sh --recovery [--events N] [--signal KILL|TERM] [--restarts N] [--fsync none]}.
 */
public final class JournalBench {
    private static final int PORT = 18_200;
    private static final String SERVER_FLAGS = "-Xms64m -Xmx512m -XX:+UseG1GC";
    private static final String JAR = "transport/target/stream-processor.jar";
    private static final Pattern REPLAYED = Pattern.compile(
        "replayed ([\\d,]+) events \\(([\\d,]+) records, ([\\d.]+) MiB\\) from \\S+ in ([\\d,]+) ms");

    private JournalBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (!Files.exists(Path.of(JAR))) {
            throw new IllegalStateException(JAR + " not found: run from the repository root after building");
        }
        if (a.contains("--recovery")) {
            recovery(a);
        } else {
            ingestion(a);
        }
    }

    // ------------------------------------------------------------------ ingestion

    private static void ingestion(List<String> a) throws Exception {
        int rounds = Integer.parseInt(value(a, "--rounds", "3"));
        String duration = value(a, "--duration", "10");
        String warmup = value(a, "--warmup", "10");
        String connections = value(a, "--connections", "8");
        String batch = value(a, "--batch", "1000");
        List<String> modes = List.of(value(a, "--modes", "off,none,batch").split(","));
        String[] load = {"--connections", connections, "--batch", batch, "--path", "/events/batch",
            "--duration", duration, "--warmup", warmup};
        System.out.println("server: java " + SERVER_FLAGS + " -jar " + JAR + " --port " + PORT
            + " --journal.enabled false | --journal.dir /tmp/journal-bench-* --journal.fsync none|batch");
        System.out.println("load: LoadGenerator --url http://127.0.0.1:" + PORT + " " + String.join(" ", load));
        System.out.println("load average before: " + loadAverage());

        Histogram overwrite = FsyncProbe.measure("overwrite", Path.of("/tmp"), 100, 1000);
        Histogram append = FsyncProbe.measure("append", Path.of("/tmp"), 100, 1000);
        System.out.printf(Locale.ROOT, "this disk's fsync (4 KiB + force(false), 1,000 timed): overwrite p50 %.0f µs, p99 %.0f µs;"
                + " append p50 %.0f µs, p99 %.0f µs%n", overwrite.getValueAtPercentile(50) / 1e3,
            overwrite.getValueAtPercentile(99) / 1e3, append.getValueAtPercentile(50) / 1e3, append.getValueAtPercentile(99) / 1e3);

        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, double[]> p99s = new LinkedHashMap<>();
        Map<String, double[]> p50s = new LinkedHashMap<>();
        for (String m : modes) {
            rates.put(m, new double[rounds]);
            p99s.put(m, new double[rounds]);
            p50s.put(m, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (String m : modes) {
                LoadReport report = ingestionRun(m, load, r);
                rates.get(m)[r] = report.eventsPerSecond();
                p99s.get(m)[r] = report.p99();
                p50s.get(m)[r] = report.p50();
            }
        }
        System.out.println("load average after: " + loadAverage());
        double[] off = rates.get(modes.get(0));
        double meanOff = mean(off);
        for (String m : modes) {
            System.out.printf(Locale.ROOT, "%-6s %,12.0f events/s mean (runs %s); p50 median %.1f ms, p99 median %.1f ms (runs %s)%n",
                m, mean(rates.get(m)), list(rates.get(m), "%,.0f", 1), median(p50s.get(m)), median(p99s.get(m)),
                list(p99s.get(m), "%.1f", 1));
        }
        for (String m : modes.subList(1, modes.size())) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = rates.get(m)[r] / off[r];
            }
            String target = m.equals("none") ? " (target >= 90%)" : m.equals("batch") ? " (target >= 50%)" : "";
            System.out.printf(Locale.ROOT, "ratio %s/%s: median of rounds %.1f%% (rounds %s), of the means %.1f%%%s%n",
                m, modes.get(0), 100 * median(ratios), list(ratios, "%.0f%%", 100), 100 * mean(rates.get(m)) / meanOff, target);
        }
        System.out.printf(Locale.ROOT, "p99 latency (median of rounds): %s; this disk's fsync p50 %.2f ms, p99 %.2f ms (overwrite),"
                + " p50 %.2f ms, p99 %.2f ms (append)%n", p99Summary(modes, p99s), overwrite.getValueAtPercentile(50) / 1e6,
            overwrite.getValueAtPercentile(99) / 1e6, append.getValueAtPercentile(50) / 1e6, append.getValueAtPercentile(99) / 1e6);
    }

    private static String p99Summary(List<String> modes, Map<String, double[]> p99s) {
        StringBuilder b = new StringBuilder();
        for (String m : modes) {
            b.append(b.length() == 0 ? "" : ", ").append(m).append(' ')
                .append(String.format(Locale.ROOT, "%.1f ms", median(p99s.get(m))));
        }
        return b.toString();
    }

    private static LoadReport ingestionRun(String mode, String[] load, int round) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "journal-bench-");
        List<String> flags = mode.equals("off") ? List.of("--journal.enabled", "false")
            : List.of("--journal.dir", dir.toString(), "--journal.fsync", mode);
        Server server = Server.start(flags);
        try {
            server.awaitAccepting(60);
            List<String> all = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + PORT));
            all.addAll(List.of(load));
            all.addAll(List.of("--label", mode + " #" + (round + 1)));
            LoadReport report = LoadGenerator.run(LoadOptions.parse(all.toArray(new String[0])));
            long received = stat(server.client, "totalReceived");
            server.stop();
            long bytes = dirBytes(dir);
            System.out.printf(Locale.ROOT, "%-9s %,12.0f events/s  p50 %6.1f ms  p99 %6.1f ms  statuses %s  (load average %s)%s%n",
                mode + " #" + (round + 1), report.eventsPerSecond(), report.p50(), report.p99(), report.statuses(),
                loadAverage().split(" ")[0],
                mode.equals("off") ? "" : String.format(Locale.ROOT, "; journal %,.0f MiB for %,d events, %.0f bytes/event",
                    bytes / 1048576.0, received, received > 0 ? (double) bytes / received : 0));
            return report;
        } finally {
            server.kill();
            TempDirs.deleteTree(dir);
        }
    }

    // ------------------------------------------------------------------ recovery

    private static void recovery(List<String> a) throws Exception {
        long events = Long.parseLong(value(a, "--events", "10000000"));
        int connections = Integer.parseInt(value(a, "--connections", "4"));
        int batch = Integer.parseInt(value(a, "--batch", "1000"));
        String signal = value(a, "--signal", "KILL");
        int restarts = Integer.parseInt(value(a, "--restarts", "2"));
        String fsync = value(a, "--fsync", "none");
        List<String> restartJvmFlags = a.contains("--restart-jvm-flags")
            ? List.of(value(a, "--restart-jvm-flags", "").split(" ")) : List.of();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "journal-recovery-");
        List<String> flags = List.of("--journal.dir", dir.toString(), "--journal.fsync", fsync);
        System.out.println("server: java " + SERVER_FLAGS + " -jar " + JAR + " --port " + PORT + " " + String.join(" ", flags));
        System.out.printf(Locale.ROOT, "journaling %,d events without timestamps in batches of %d over %d connections, then SIG%s and restart, %d times%n",
            events, batch, connections, signal, restarts);
        System.out.println("load average before: " + loadAverage());
        Server server = Server.start(flags);
        try {
            server.awaitAccepting(60);
            long t = System.nanoTime();
            long acked = fill(server.client, events, batch, connections);
            double seconds = (System.nanoTime() - t) / 1e9;
            long received = stat(server.client, "totalReceived");
            long processed = stat(server.client, "totalProcessed");
            System.out.printf(Locale.ROOT, "journaled: %,d events acknowledged in %.1f s (%,.0f events/s); /stats totalReceived %,d, totalProcessed %,d%n",
                acked, seconds, acked / seconds, received, processed);
            long expected = acked + 1; // and the probe event awaitAccepting posted
            for (int r = 1; r <= restarts; r++) {
                stopBy(server, signal);
                System.out.printf(Locale.ROOT, "SIG%s; journal: %,.1f MiB in %d segment files; load average %s%n", signal,
                    dirBytes(dir) / 1048576.0, segmentCount(dir), loadAverage().split(" ")[0]);
                long start = System.nanoTime();
                server = Server.start(restartJvmFlags, flags);
                long firstAccepted = server.firstAcceptedPost(start, 120);
                expected += 1; // the probe event that was accepted
                Matcher m = server.output.find(REPLAYED, 5);
                long replayedEvents = m == null ? -1 : number(m.group(1));
                long replayMillis = m == null ? -1 : number(m.group(4));
                long afterReceived = stat(server.client, "totalReceived");
                long afterProcessed = stat(server.client, "totalProcessed");
                System.out.printf(Locale.ROOT, "restart %d: first POST accepted %,d ms after the process started (target <= 10,000 ms)%n",
                    r, TimeUnit.NANOSECONDS.toMillis(firstAccepted - start));
                System.out.printf(Locale.ROOT, "  lines (ms from start): %s%n", server.output.timeline(start));
                if (m != null) {
                    System.out.printf(Locale.ROOT, "  replay: %,d events (%s records, %s MiB) in %,d ms = %,.0f events/s (target >= 2,000,000)%n",
                        replayedEvents, m.group(2), m.group(3), replayMillis,
                        replayMillis > 0 ? replayedEvents * 1000.0 / replayMillis : Double.NaN);
                } else {
                    System.out.println("  replay: no 'replayed' line found: " + server.output.text());
                }
                System.out.printf(Locale.ROOT, "  /stats after restart: totalReceived %,d, totalProcessed %,d (acknowledged so far %,d)%s%n",
                    afterReceived, afterProcessed, expected, afterReceived == expected ? "" : "  <-- DIFFERENT");
            }
            server.stop();
            System.out.println("load average after: " + loadAverage());
        } finally {
            server.kill();
            TempDirs.deleteTree(dir);
        }
    }

    private static void stopBy(Server server, String signal) throws Exception {
        if (signal.equals("KILL")) {
            server.kill();
        } else if (signal.equals("TERM")) {
            server.stop();
        } else {
            throw new IllegalArgumentException("--signal KILL or TERM, not " + signal);
        }
    }

    /** Posts batches until {@code events} are acknowledged; returns how many were. */
    private static long fill(HttpClient client, long events, int batch, int connections) throws Exception {
        byte[][] bodies = new byte[16][];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = batchBody(random, batch);
        }
        long requests = (events + batch - 1) / batch;
        AtomicLong next = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        URI uri = URI.create("http://127.0.0.1:" + PORT + "/events/batch");
        long reportEvery = Math.max(1, requests / 10);
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (long i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[(int) (i & 15)])).build();
                        while (true) {
                            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
                            if (res.statusCode() == 200) {
                                acked.addAndGet(batch);
                                break;
                            }
                            if (res.statusCode() != 503) {
                                throw new IOException("batch answered " + res.statusCode() + ": " + res.body());
                            }
                            refused.incrementAndGet();
                            Thread.sleep(5);
                        }
                        if ((i + 1) % reportEvery == 0) {
                            System.out.printf(Locale.ROOT, "  ... %,d events sent%n", (i + 1) * batch);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "fill-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IOException("filling the journal failed", failure[0]);
        }
        if (refused.get() > 0) {
            System.out.printf(Locale.ROOT, "  (%,d batches answered 503 and were sent again)%n", refused.get());
        }
        return acked.get();
    }

    private static final String[] TYPES = {"metric", "metric", "metric", "log", "log", "trace", "event"};
    private static final String[] UNITS = {"ms", "bytes", "count", "percent"};
    private static final String[] ENDPOINTS = {"/api/users", "/api/orders", "/api/search", "/health", "/login"};

    /** A JSON array of events like the load generator's, without timestamps. */
    private static byte[] batchBody(SplittableRandom random, int n) {
        StringBuilder b = new StringBuilder(n * 150).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            String type = TYPES[random.nextInt(TYPES.length)];
            b.append("{\"type\":\"").append(type).append("\",\"source\":\"web-server-").append(1 + random.nextInt(20))
                .append("\",\"data\":{");
            if (type.equals("log")) {
                b.append("\"level\":\"info\",\"message\":\"request ").append(random.nextInt(100_000)).append(" done\"");
            } else {
                b.append("\"value\":").append(random.nextInt(10_000) / 10.0)
                    .append(",\"unit\":\"").append(UNITS[random.nextInt(UNITS.length)])
                    .append("\",\"endpoint\":\"").append(ENDPOINTS[random.nextInt(ENDPOINTS.length)])
                    .append("\",\"userId\":\"u").append(random.nextInt(5_000)).append('"');
            }
            b.append("}}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the server

    /** A launcher in a JVM of its own, its merged output read on a thread of its own. */
    private static final class Server {
        final Process process;
        final ServerOutput output;
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

        private Server(Process process) {
            this.process = process;
            this.output = new ServerOutput(process.getInputStream());
        }

        static Server start(List<String> flags) throws IOException {
            return start(List.of(), flags);
        }

        static Server start(List<String> jvmFlags, List<String> flags) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("java"));
            cmd.addAll(List.of(SERVER_FLAGS.split(" ")));
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-jar", JAR, "--port", String.valueOf(PORT)));
            cmd.addAll(flags);
            return new Server(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }

        void awaitAccepting(int seconds) throws Exception {
            if (!output.await("listening on", seconds)) {
                kill();
                throw new IOException("server did not start: " + output.text());
            }
            firstAcceptedPost(System.nanoTime(), seconds);
        }

        /** Posts one event every 10 ms until one is answered 200; returns System.nanoTime() then. */
        long firstAcceptedPost(long since, int seconds) throws Exception {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/events"))
                .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"probe\",\"source\":\"journal-bench\",\"data\":{\"value\":1}}"))
                .build();
            long deadline = since + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("server exited with " + process.exitValue() + ": " + output.text());
                }
                try {
                    HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() == 200) {
                        return System.nanoTime();
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
            throw new IOException("no POST accepted within " + seconds + " s: " + output.text());
        }

        /** SIGTERM (drains) and waits. */
        void stop() throws Exception {
            process.toHandle().destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                kill();
                throw new IOException("server did not stop within 120 s");
            }
        }

        /** SIGKILL and waits. */
        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long stat(HttpClient client, String name) throws Exception {
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/stats"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(res.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }


    // ------------------------------------------------------------------ helpers

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long segmentCount(Path dir) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".journal")).count();
        }
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? 0 : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static String list(double[] v, String format, double scale) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, format, x * scale));
        }
        return b.toString();
    }

}
