package io.streamprocessor.transport;

import io.streamprocessor.config.Config;
import io.streamprocessor.config.LoadedConfig;
import io.streamprocessor.transport.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each configuration in examples/ started as the launcher starts it, fed over HTTP, and checked. */
class ExamplesHttpTest {
    private static final long T0 = 1_699_380_000_000L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpServer start(String example) throws Exception {
        LoadedConfig config = Config.load(new String[] {"--config", "../examples/" + example, "--port", "0", "--journal.enabled", "false"}, Map.of());
        return Main.serve(config);
    }

    private static String post(HttpServer server, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String get(HttpServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String event(String type, String source, String data) {
        return "{\"type\":\"" + type + "\",\"source\":\"" + source + "\",\"timestamp\":" + T0 + ",\"data\":" + data + "}";
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void seedPipeline() throws Exception {
        try (HttpServer server = start("seed-pipeline.yaml")) {
            assertEquals("{\"success\":true,\"message\":\"Event processed\"}",
                post(server, "/events", event("metric", "api-server", "{\"value\":125}")));
            assertEquals("{\"success\":true,\"message\":\"Event filtered\",\"filtered\":true}",
                post(server, "/events", event("metric", "api-server", "{\"value\":-1}")));
            assertEquals("{\"total\":3,\"processed\":1,\"filtered\":2}", post(server, "/events/batch", "["
                + event("metric", "a", "{\"value\":75}") + "," + event("metric", "a", "{\"value\":0}") + ","
                + event("log", "b", "{\"level\":\"info\"}") + "]"));
            String stats = get(server, "/stats");
            assertEquals(2, number(stats, "totalProcessed"));
            assertEquals(3, number(stats, "totalFiltered"));
            String aggregations = get(server, "/aggregations");
            assertEquals(200, number(aggregations, "sum"));
        }
    }

    @Test
    void metricsPipeline() throws Exception {
        try (HttpServer server = start("metrics-pipeline.yaml")) {
            assertEquals("{\"total\":4,\"processed\":2,\"filtered\":2}", post(server, "/events/batch", "["
                + event("metric", "web-1", "{\"latency_ms\":250}") + ","
                + event("metric", "web-2", "{\"latency_ms\":1250}") + ","
                + event("metric", "db-1", "{\"latency_ms\":5}") + ","
                + event("metric", "web-3", "{\"cpu\":0.2}") + "]"));
            String aggregations = get(server, "/aggregations");
            assertTrue(aggregations.endsWith("],\"count\":6}"), "six 30 s windows sliding by 5 s hold T0: " + aggregations);
            assertEquals(2, number(aggregations, "valueCount"));
            assertEquals(1.5, number(aggregations, "sum"), 1e-9, "latency in seconds: " + aggregations);
            assertEquals(30_000, number(aggregations, "end") - number(aggregations, "start"));
        }
    }

    @Test
    void logPipeline() throws Exception {
        try (HttpServer server = start("log-pipeline.yaml")) {
            assertEquals("{\"total\":4,\"processed\":2,\"filtered\":2}", post(server, "/events/batch", "["
                + event("log", "auth", "{\"level\":\"debug\"}") + ","
                + event("log", "auth", "{\"level\":\"error\",\"internal\":1}") + ","
                + event("metric", "auth", "{\"value\":1}") + ","
                + event("log", "billing", "{\"level\":\"info\"}") + "]"));
            String stats = get(server, "/stats");
            assertEquals(2, number(stats, "totalProcessed"));
            assertEquals(2, number(stats, "totalFiltered"));
        }
    }
}
