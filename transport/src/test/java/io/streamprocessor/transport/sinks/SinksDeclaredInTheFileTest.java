package io.streamprocessor.transport.sinks;

import io.streamprocessor.config.Config;
import io.streamprocessor.connectors.kafka.KafkaTestBroker;
import io.streamprocessor.connectors.postgres.TestPostgres;
import io.streamprocessor.transport.Main;
import io.streamprocessor.transport.http.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the README promises: a user sends to a file, Kafka or PostgreSQL by adding three lines to
 * the configuration file. Each test loads exactly those lines, serves them as the launcher does,
 * posts a batch over HTTP and finds it in the real target once the server has closed.
 */
class SinksDeclaredInTheFileTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BATCH = "[{\"id\":\"a1\",\"type\":\"metric\",\"source\":\"web-1\",\"timestamp\":1699380000000,"
        + "\"data\":{\"value\":1.50,\"tag\":\"é 传\"}},{\"id\":\"a2\",\"type\":\"log\",\"source\":\"web-2\","
        + "\"timestamp\":1699380000001,\"data\":{\"nested\":{\"list\":[1,\"two\",null]}}}]";

    @TempDir
    Path dir;

    /** Loads the three lines as the launcher would, serves them on a free port, posts the batch, and closes. */
    private void postWith(String sinkLines, Map<String, String> environment) throws Exception {
        Path yaml = dir.resolve("stream-processor.yaml");
        Files.writeString(yaml, "sinks:\n" + sinkLines);
        HttpServer server = Main.serve(Config.load(new String[] {"--config", yaml.toString(), "--port", "0", "--journal.dir", dir.resolve("journal").toString()}, environment));
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/events/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BATCH)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"total\":2,\"processed\":2,\"filtered\":0}", r.body());
        } finally {
            server.close(); // delivers what the sink holds
        }
    }

    @Test
    void aFileSinkInThreeLines() throws Exception {
        Path out = dir.resolve("out/events.ndjson");
        postWith("  - type: file\n    path: " + out + "\n", Map.of());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"id\":\"a1\",\"type\":\"metric\",\"source\":\"web-1\",\"timestamp\":1699380000000,"),
            lines.get(0));
        assertTrue(lines.get(0).endsWith(",\"data\":{\"value\":1.50,\"tag\":\"é 传\"}}"), lines.get(0));
        assertTrue(lines.get(1).endsWith(",\"data\":{\"nested\":{\"list\":[1,\"two\",null]}}}"), lines.get(1));
    }

    @Test
    void aKafkaSinkInThreeLines() throws Exception {
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            broker.createTopic("events-from-yaml", 1);
            postWith("  - type: kafka\n    bootstrap-servers: " + broker.bootstrapServers() + "\n"
                + "    topic: events-from-yaml\n", Map.of());
            List<ConsumerRecord<String, String>> records = broker.readAll("events-from-yaml");
            assertEquals(2, records.size());
            assertEquals("web-1", records.get(0).key(), "keyed by source");
            assertTrue(records.get(0).value().endsWith(",\"data\":{\"value\":1.50,\"tag\":\"é 传\"}}"), records.get(0).value());
            assertEquals("web-2", records.get(1).key());
        }
    }

    @Test
    void aPostgresSinkInThreeLines() throws Exception {
        try (TestPostgres db = TestPostgres.start()) {
            postWith("  - type: postgres\n    url: " + db.url() + "?user=" + TestPostgres.USER + "\n"
                + "    table: yaml_events\n", Map.of());
            List<Map<String, Object>> rows = db.query("SELECT id, type, source, timestamp, data::text AS data "
                + "FROM yaml_events ORDER BY id");
            assertEquals(2, rows.size(), rows.toString());
            assertEquals("a1", rows.get(0).get("id"));
            assertEquals("metric", rows.get(0).get("type"));
            assertEquals("web-1", rows.get(0).get("source"));
            assertEquals(1_699_380_000_000L, ((Number) rows.get(0).get("timestamp")).longValue());
            assertEquals("{\"tag\": \"é 传\", \"value\": 1.50}", rows.get(0).get("data"), "jsonb's own form");
            assertEquals("{\"nested\": {\"list\": [1, \"two\", null]}}", rows.get(1).get("data"));
        }
    }
}
