package io.streamprocessor.transport.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.file.FileSink;
import io.streamprocessor.connectors.file.FileSinkSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.TestServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file sink behind the real HTTP server: events posted one by one and in batches are read back
 * from the file, field by field, unicode, nested data and numbers as sent included; and an
 * unwritable directory turns into 503s once the sink's buffer is full, with every acknowledged
 * event in the file once the directory is back.
 */
class FileSinkHttpTest {
    private static final long T0 = 1_699_380_000_000L;
    private static final JsonFactory JSON = new JsonFactory();

    @TempDir
    Path dir;

    /** An event as posted, and what its line must hold. */
    private record Sent(String id, String type, String source, long timestamp, String data) {
        String json() {
            return "{\"id\":" + quote(id) + ",\"type\":" + quote(type) + ",\"source\":" + quote(source)
                + ",\"timestamp\":" + timestamp + ",\"data\":" + data + "}";
        }
    }

    private static Sent event(int i) {
        String data = "{\"text\":\"é 传 🚀 \\\"quoted\\\" " + i + "\",\"price\":1.50,\"big\":1e3,\"n\":" + i
            + ",\"nested\":{\"list\":[1,\"two\",{\"three\":-3.25E-2}],\"ok\":true,\"none\":null}}";
        return new Sent("evt-" + i, i % 2 == 0 ? "metric" : "log", "web-é-" + (i % 3), T0 + i, data);
    }

    @Test
    void eventsPostedOneByOneAndInBatchesAreInTheFileFieldByFieldOnceTheServerStops() throws Exception {
        Path file = dir.resolve("out/events.ndjson");
        List<Sent> sent = new ArrayList<>();
        long before = System.currentTimeMillis();
        TestServer server = TestServer.start(StreamProcessor.builder().addSink(FileSink.create("file", FileSinkSettings.of(file))),
            ServerSettings.builder());
        try {
            for (int i = 0; i < 3; i++) {
                Sent e = event(i);
                server.post("/events", e.json()).assertStatus(200);
                sent.add(e);
            }
            for (int[] range : new int[][] {{3, 6}, {6, 206}}) {
                StringJoiner batch = new StringJoiner(",", "[", "]");
                for (int i = range[0]; i < range[1]; i++) {
                    Sent e = event(i);
                    batch.add(e.json());
                    sent.add(e);
                }
                TestServer.Reply r = server.post("/events/batch", batch.toString());
                r.assertStatus(200);
                assertEquals((long) (range[1] - range[0]), r.json().get("processed"), r.body());
            }
        } finally {
            server.close(); // a clean shutdown writes everything held
        }
        long after = System.currentTimeMillis();

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "the last line is whole");
        String[] lines = text.split("\n");
        assertEquals(sent.size(), lines.length, "one line per event, none missing, none twice");
        for (int i = 0; i < lines.length; i++) {
            Sent e = sent.get(i);
            Map<String, String> fields = topLevel(lines[i]);
            assertEquals(List.of("id", "type", "source", "timestamp", "receivedAt", "data"), List.copyOf(fields.keySet()), lines[i]);
            assertEquals(e.id(), fields.get("id"));
            assertEquals(e.type(), fields.get("type"));
            assertEquals(e.source(), fields.get("source"));
            assertEquals(String.valueOf(e.timestamp()), fields.get("timestamp"));
            long receivedAt = Long.parseLong(fields.get("receivedAt"));
            assertTrue(receivedAt >= before && receivedAt <= after, "receivedAt is server time: " + receivedAt);
            assertEquals(e.data(), fields.get("data"), "data exactly as sent: unicode, nesting, 1.50, 1e3, -3.25E-2");
        }
    }

    @Test
    void anUnwritableDirectoryTurnsInto503sOnceTheBufferIsFullAndEveryAcknowledgedEventIsWrittenOnceItIsBack() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        Files.writeString(out, "a regular file where the directory should be");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), FileSink.bufferDefaults().bufferEvents(64)
            .retry(Duration.ofMillis(5), Duration.ofMillis(40)).build());
        List<Sent> acknowledged = new ArrayList<>();
        TestServer server = TestServer.start(StreamProcessor.builder().addSink(sink), ServerSettings.builder());
        try {
            TestServer.Reply refused = null;
            for (int b = 0; b < 20 && refused == null; b++) {
                List<Sent> batch = new ArrayList<>();
                StringJoiner body = new StringJoiner(",", "[", "]");
                for (int i = b * 10; i < b * 10 + 10; i++) {
                    batch.add(event(i));
                    body.add(event(i).json());
                }
                TestServer.Reply r = server.post("/events/batch", body.toString());
                if (r.status() == 200) {
                    acknowledged.addAll(batch);
                } else {
                    refused = r;
                }
            }
            assertNotNull(refused, "requests are refused once the sink's 64 events are held");
            assertEquals(503, refused.status(), refused.body());
            assertNotNull(refused.header("Retry-After"));
            assertEquals("sink file is behind, retry later", refused.json().get("error"));
            assertEquals(60, acknowledged.size(), "six batches of ten fit in 64");

            // The sink learns the directory is unusable on its next attempt, which may still be under way.
            TestServer.awaitTrue("/health degraded", Duration.ofSeconds(30), () -> "degraded".equals(server.get("/health").json().get("status")));
            Map<String, Object> health = server.get("/health").json();
            assertEquals("degraded", health.get("status"));
            assertTrue(String.valueOf(health.get("reason")).contains("file"), health.toString());
            Map<?, ?> status = (Map<?, ?>) ((Map<?, ?>) server.stats().get("sinks")).get("file");
            assertEquals("failing", status.get("status"));
            assertEquals(60L, status.get("buffered"));
            assertEquals("cannot create the directory of file " + file + ": " + out + " exists and is not a directory",
                status.get("lastError"));

            Files.delete(out);
            TestServer.awaitTrue("the sink catches up", Duration.ofSeconds(10), () -> {
                Map<?, ?> s = (Map<?, ?>) ((Map<?, ?>) server.stats().get("sinks")).get("file");
                return "ok".equals(s.get("status")) && Long.valueOf(0).equals(s.get("buffered"));
            });
            Sent late = event(1_000);
            server.post("/events", late.json()).assertStatus(200);
            acknowledged.add(late);
        } finally {
            server.close();
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
            ids.add(topLevel(line).get("id"));
        }
        assertEquals(acknowledged.stream().map(Sent::id).toList(), ids, "every acknowledged event once, in order");
    }

    /** The top-level members of a line: strings unescaped, numbers as written, {@code data} as its exact JSON text. */
    private static Map<String, String> topLevel(String line) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(bytes)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_OBJECT) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    out.put(name, new String(bytes, start, end - start, StandardCharsets.UTF_8));
                } else {
                    out.put(name, p.getText());
                }
            }
            assertEquals(null, p.nextToken(), "one object per line: " + line);
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
