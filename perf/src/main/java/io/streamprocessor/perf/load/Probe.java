package io.streamprocessor.perf.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A liveness probe as an orchestrator runs one: every interval it opens a <em>fresh</em>
 * connection, sends one {@code GET} with {@code Connection: close}, and reads the whole answer,
 * giving up after a timeout. Probes are started on schedule whether or not earlier ones have
 * answered (open loop), so a server that stalls shows as slow or failed probes rather than as
 * fewer probes. Latency is from the scheduled start to the answer's last byte (by its {@code
 * Content-Length}), connecting included.
 * Bounded in time; only ever targets the address it is given.
 *
 * <p>With {@code --post-batch N}, a path under {@code /events} is probed with a {@code POST} of
 * a batch of N events instead, as a new client that sends events sees the server: answered 200
 * once processed, or 503 when shed.
 *
 * <p>The first {@code --warmup} seconds of probes (1 s unless set) are sent on the same schedule
 * but not counted. An orchestrator's prober is a process that has run for long; this one is a
 * JVM started for the measurement, and on two cores shared with a flood its own first probes
 * (its threads created, its socket code interpreted) took 60-250 ms whichever server answered
 * them: the first eight of each path were all of the probes over 50 ms in a flood against the
 * server, and an idle no-op server probed through the same flood showed a p99 of 444 ms.
 */
public final class Probe {
    private Probe() {
    }

    /**
     * What the probes saw.
     *
     * @param failures probes that timed out, could not connect, or got no complete answer
     * @param shedP99  the p99 of the probes answered 503 alone, NaN when none was
     */
    public record Report(String path, int sent, int failures, Map<Integer, Integer> statuses,
                         double p50, double p99, double max, double shedP99) {
        private static final java.util.regex.Pattern ROW = java.util.regex.Pattern.compile(
            "probe (\\S+): (\\d+) sent, (\\d+) failed, statuses \\{(.*)\\}, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, max ([0-9.]+) ms"
                + "(?:, 503 p99 ([0-9.]+) ms)?");

        /** The report from its {@link #row()}, as another process printed it. */
        public static Report parse(String row) {
            java.util.regex.Matcher m = ROW.matcher(row);
            if (!m.find()) {
                throw new IllegalArgumentException("not a probe report: " + row);
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (String pair : m.group(4).split(", ")) {
                if (!pair.isBlank()) {
                    String[] kv = pair.split("=");
                    statuses.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
                }
            }
            return new Report(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), statuses,
                Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)),
                m.group(8) == null ? Double.NaN : Double.parseDouble(m.group(8)));
        }

        public String row() {
            return String.format(Locale.ROOT, "probe %s: %d sent, %d failed, statuses %s, p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                path, sent, failures, statuses, p50, p99, max)
                + (Double.isNaN(shedP99) ? "" : String.format(Locale.ROOT, ", 503 p99 %.3f ms", shedP99));
        }
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create("http://127.0.0.1:8000");
        String path = "/health";
        long intervalMs = 50;
        long timeoutMs = 2000;
        double duration = 10;
        double warmup = 1;
        int postBatch = 0;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--url" -> { url = URI.create(v); i++; }
                case "--path" -> { path = v; i++; }
                case "--interval-ms" -> { intervalMs = Long.parseLong(v); i++; }
                case "--timeout-ms" -> { timeoutMs = Long.parseLong(v); i++; }
                case "--duration" -> { duration = Double.parseDouble(v); i++; }
                case "--warmup" -> { warmup = Double.parseDouble(v); i++; }
                case "--post-batch" -> { postBatch = Integer.parseInt(v); i++; }
                default -> {
                    System.err.println("probe: unknown option " + args[i]
                        + "\nUsage: Probe [--url URL] [--path /health[,/stats...]] [--interval-ms 50] [--timeout-ms 2000] [--duration S] [--warmup S] [--post-batch N]");
                    System.exit(2);
                }
            }
        }
        // Several paths (comma-separated) are probed side by side, each on its own schedule.
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        long interval = intervalMs;
        long timeout = timeoutMs;
        double seconds = duration;
        double warm = warmup;
        int batch = postBatch;
        List<java.util.concurrent.CompletableFuture<Report>> runs = new ArrayList<>();
        for (String p : path.split(",")) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return run(host, port, p, batch, interval, timeout, warm, seconds);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (java.util.concurrent.CompletableFuture<Report> r : runs) {
            System.out.println(r.get().row());
        }
    }

    /**
     * Probes {@code path} every {@code intervalMs} for {@code warmupSeconds}, not counted, then for
     * {@code seconds}, each on a new connection.
     */
    public static Report run(String host, int port, String path, int postBatch, long intervalMs, long timeoutMs,
                            double warmupSeconds, double seconds) throws InterruptedException {
        byte[] request = postBatch > 0 && path.startsWith("/events") ? post(host, port, path, postBatch)
            : ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int warm = (int) Math.round(warmupSeconds * 1000 / intervalMs);
        int count = (int) Math.max(1, Math.round(seconds * 1000 / intervalMs));
        // Enough threads that a probe never waits for a thread: every one in flight may take the whole timeout.
        int threads = (int) Math.min(256, timeoutMs / intervalMs + 2);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < warm + count; i++) {
                long scheduled = start + TimeUnit.MILLISECONDS.toNanos(intervalMs * i);
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                results.add(pool.submit(() -> once(host, port, request, scheduled, timeoutMs)));
            }
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Histogram shed = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Map<Integer, Integer> statuses = new TreeMap<>();
            int failures = 0;
            for (Future<long[]> f : results.subList(warm, results.size())) {
                long[] r;
                try {
                    r = f.get(timeoutMs * 2, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    r = new long[] {-1, 0};
                }
                if (r[0] < 0) {
                    failures++;
                } else {
                    statuses.merge((int) r[0], 1, Integer::sum);
                    latency.recordValue(Math.min(latency.getHighestTrackableValue(), r[1]));
                    if (r[0] == 503) {
                        shed.recordValue(Math.min(shed.getHighestTrackableValue(), r[1]));
                    }
                }
            }
            return new Report(path, count, failures, statuses,
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6,
                shed.getTotalCount() == 0 ? Double.NaN : shed.getValueAtPercentile(99) / 1e6);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(timeoutMs * 2, TimeUnit.MILLISECONDS);
        }
    }

    /** A {@code POST} of a batch of {@code n} events stamped now, closing the connection after the answer. */
    private static byte[] post(String host, int port, String path, int n) {
        StringBuilder b = new StringBuilder(n * 100).append('[');
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"timestamp\":").append(now)
                .append(",\"type\":\"probe\",\"source\":\"probe-").append(i % 10).append("\",\"data\":{\"value\":").append(i).append("}}");
        }
        byte[] body = b.append(']').toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] r = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, r, head.length, body.length);
        return r;
    }

    /** Whether {@code read} holds a whole answer framed by {@code Content-Length}. */
    private static boolean complete(CharSequence read) {
        String text = read.toString();
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m = CONTENT_LENGTH.matcher(text.substring(0, end));
        return m.find() && text.length() - (end + 4) >= Long.parseLong(m.group(1));
    }

    private static final java.util.regex.Pattern CONTENT_LENGTH =
        java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    /** {status, nanos from the scheduled start to the end of the answer}, or status -1 on failure. */
    private static long[] once(String host, int port, byte[] request, long scheduled, long timeoutMs) {
        long deadline = scheduled + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder head = new StringBuilder();
            // The answer ends with its Content-Length, or with the connection (Connection: close) if it has none.
            while (!complete(head)) {
                int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return new long[] {-1, 0};
                }
                s.setSoTimeout(left);
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            long done = System.nanoTime();
            if (head.length() < 12 || !head.toString().startsWith("HTTP/1.")) {
                return new long[] {-1, 0};
            }
            return new long[] {Integer.parseInt(head.substring(9, 12)), done - scheduled};
        } catch (SocketTimeoutException e) {
            return new long[] {-1, 0};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, 0};
        }
    }
}
