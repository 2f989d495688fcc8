package io.streamprocessor.perf.metrics;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.perf.BenchArgs;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import io.streamprocessor.transport.metrics.ServerMetrics;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How long {@code GET /metrics} takes with many {@code type:source} series: a server in this JVM
 * gets {@code --pairs} events of distinct pairs (10,000 by default, the default bound), then one
 * client scrapes it back to back over a keep-alive connection, {@code --warmup} times unmeasured
 * and {@code --scrapes} times measured from sending the request to holding the whole body.
 * Prints the percentiles in milliseconds, the CPU time the whole JVM (server and client) spent per
 * measured scrape, the body's size and the load. Then the server's part alone, in process: the same
 * number of scrapes written by a {@link ServerMetrics} of the same processor to memory, timed by the
 * clock and by the CPU time of the scraping thread, which a busy machine disturbs less.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.streamprocessor.perf.metrics.ScrapeBench [--pairs N] [--warmup N] [--scrapes N] [--accept TYPE]</pre>
 */
public final class ScrapeBench {
    private ScrapeBench() {
    }

    /** Scrapes {@code p} in this thread as the server's query thread does, without HTTP. */
    private static void inProcess(StreamProcessor p, int warmup, int scrapes, String accept) throws java.io.IOException {
        ServerMetrics metrics = new ServerMetrics(List.of("/events", "/metrics"));
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Histogram wall = new Histogram(60_000_000L, 3);
        Histogram cpu = new Histogram(60_000_000L, 3);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 18);
        for (int i = 0; i < warmup + scrapes; i++) {
            out.reset();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            metrics.write(accept, out, p.metricsSnapshot());
            long took = System.nanoTime() - start;
            long cpuTook = threads.getCurrentThreadCpuTime() - cpuStart;
            if (i >= warmup) {
                wall.recordValue(took / 1000);
                cpu.recordValue(cpuTook / 1000);
            }
        }
        System.out.printf(Locale.ROOT, "in process, %,d bytes: wall ms p50 %.2f  p99 %.2f  max %.2f; thread CPU ms p50 %.2f  p99 %.2f%n",
            out.size(), wall.getValueAtPercentile(50) / 1e3, wall.getValueAtPercentile(99) / 1e3, wall.getMaxValue() / 1e3,
            cpu.getValueAtPercentile(50) / 1e3, cpu.getValueAtPercentile(99) / 1e3);
    }

    public static void main(String[] argv) throws Exception {
        List<String> args = List.of(argv);
        int pairs = Integer.parseInt(BenchArgs.value(args, "--pairs", "10000"));
        int warmup = Integer.parseInt(BenchArgs.value(args, "--warmup", "300"));
        int scrapes = Integer.parseInt(BenchArgs.value(args, "--scrapes", "1000"));
        String accept = BenchArgs.value(args, "--accept", "text/plain");
        System.out.println("load before: " + BenchArgs.loadAverage());
        StreamProcessor p = StreamProcessor.builder().build().start(); // the server closes it
        try (HttpServer server = HttpServer.start(p, ServerSettings.builder().host("127.0.0.1").port(0).build())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            long now = System.currentTimeMillis();
            for (int from = 0; from < pairs; from += 10_000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < Math.min(pairs, from + 10_000); i++) {
                    batch.append(i == from ? "" : ",").append("{\"type\":\"type-").append(i % 50).append("\",\"source\":\"host-")
                        .append(i).append(".example\",\"timestamp\":").append(now).append(",\"data\":{\"value\":").append(i).append("}}");
                }
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/events/batch"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.append(']')
                        .toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("batch refused: " + r.body());
                }
            }
            HttpRequest scrape = HttpRequest.newBuilder(base.resolve("/metrics")).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build();
            Histogram micros = new Histogram(60_000_000L, 3);
            long bytes = 0;
            long series = 0;
            com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuAtStart = 0;
            for (int i = 0; i < warmup + scrapes; i++) {
                if (i == warmup) {
                    cpuAtStart = os.getProcessCpuTime();
                }
                long start = System.nanoTime();
                HttpResponse<byte[]> r = client.send(scrape, HttpResponse.BodyHandlers.ofByteArray());
                long took = System.nanoTime() - start;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("scrape answered " + r.statusCode());
                }
                if (i >= warmup) {
                    micros.recordValue(took / 1000);
                }
                bytes = r.body().length;
                if (i == 0) {
                    series = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).lines()
                        .filter(l -> l.startsWith("stream_processor_type_source_events_total{")).count();
                }
            }
            double cpuMillis = (os.getProcessCpuTime() - cpuAtStart) / 1e6 / scrapes;
            System.out.printf(Locale.ROOT, "%d type:source series, %,d bytes per scrape (%s), %d scrapes after %d unmeasured%n",
                series, bytes, accept, scrapes, warmup);
            System.out.printf(Locale.ROOT, "scrape ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
                micros.getValueAtPercentile(50) / 1e3, micros.getValueAtPercentile(90) / 1e3,
                micros.getValueAtPercentile(99) / 1e3, micros.getValueAtPercentile(99.9) / 1e3,
                micros.getMaxValue() / 1e3, micros.getMean() / 1e3);
            System.out.printf(Locale.ROOT, "CPU per scrape, server and client together: %.2f ms%n", cpuMillis);
            inProcess(p, warmup, scrapes, accept);
        }
        System.out.println("load after: " + BenchArgs.loadAverage());
    }
}
