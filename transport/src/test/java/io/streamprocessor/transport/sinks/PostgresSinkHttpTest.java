package io.streamprocessor.transport.sinks;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.postgres.PostgresSink;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings;
import io.streamprocessor.connectors.postgres.TestPostgres;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.TestServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events posted over HTTP and read back from a real PostgreSQL table, field by field; and the
 * database down: 503 once the sink's buffer is full, every acknowledged event stored once it is back.
 */
class PostgresSinkHttpTest {
    private static final long T0 = 1_699_380_000_000L;
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final TestPostgres pg = TestPostgres.notStarted();

    @AfterEach
    void stopDatabase() {
        pg.close();
    }

    private BufferedSink sink(BufferSettings buffer) {
        // the superuser of the test server needs no password: password-env names a variable that is not set
        return PostgresSink.create("pg", PostgresSinkSettings.builder(pg.url()).user(TestPostgres.USER)
            .passwordEnv("SP_TEST_UNSET_PASSWORD").table("events").build(), buffer);
    }

    private static long sinkCount(TestServer s, String field) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sinks = (Map<String, Object>) s.stats().get("sinks");
        @SuppressWarnings("unchecked")
        Map<String, Object> pg = (Map<String, Object>) sinks.get("pg");
        return ((Number) pg.get(field)).longValue();
    }

    private static final String DATA = "{\"amount\":1.50,\"big\":1e3,\"text\":\"tab\\tnew\\nline \\\"q\\\" back\\\\slash é 传 🚀\","
        + "\"nested\":{\"list\":[1,\"two\",{\"three\":3}],\"ok\":true,\"none\":null}}";

    @Test
    void postedEventsReadBackFromTheTableFieldByField() {
        pg.startServer();
        long before = System.currentTimeMillis();
        try (TestServer s = TestServer.start(StreamProcessor.builder().addSink(sink(BufferSettings.defaults())),
            ServerSettings.builder())) {
            s.post("/events", "{\"id\":\"pg-1\",\"type\":\"purchase\",\"source\":\"é 传 🚀\",\"timestamp\":" + T0
                + ",\"data\":" + DATA + "}").assertStatus(200);
            s.post("/events/batch", "[" + batchEvent(2) + "," + batchEvent(3) + "," + batchEvent(4) + "]").assertStatus(200);
            TestServer.awaitTrue("four rows written", WITHIN, () -> sinkCount(s, "written") == 4);
        }
        long after = System.currentTimeMillis();

        List<Map<String, Object>> rows = pg.query("SELECT id, type, source, \"timestamp\", received_at, "
            + "data = '" + DATA + "'::jsonb AS same_data, data->'amount' AS amount, data->'big' AS big, "
            + "data->>'text' AS text, data #>> '{nested,list,2,three}' AS three, data->'nested'->'none' AS none "
            + "FROM events WHERE id = 'pg-1'");
        assertEquals(1, rows.size());
        Map<String, Object> r = rows.get(0);
        assertEquals("purchase", r.get("type"));
        assertEquals("é 传 🚀", r.get("source"));
        assertEquals(T0, r.get("timestamp"));
        long receivedAt = (Long) r.get("received_at");
        assertTrue(receivedAt >= before && receivedAt <= after, "received_at is the server's time of receipt: " + receivedAt);
        assertEquals(Boolean.TRUE, r.get("same_data"));
        assertEquals("1.50", r.get("amount").toString());
        assertEquals("1000", r.get("big").toString(), "jsonb stores 1e3 by value");
        assertEquals("tab\tnew\nline \"q\" back\\slash é 传 🚀", r.get("text"));
        assertEquals("3", r.get("three"));
        assertEquals("null", r.get("none").toString());

        List<Map<String, Object>> batch = pg.query("SELECT id, type, source, \"timestamp\", data->>'s' AS s, "
            + "(data->>'i')::int AS i FROM events WHERE id <> 'pg-1' ORDER BY id");
        assertEquals(3, batch.size());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> b = batch.get(i);
            assertEquals("pg-" + (i + 2), b.get("id"));
            assertEquals("metric", b.get("type"));
            assertEquals("batch-source", b.get("source"));
            assertEquals(T0 + i + 2, b.get("timestamp"));
            assertEquals("é 传 🚀", b.get("s"));
            assertEquals(i + 2, b.get("i"));
        }
    }

    private static String batchEvent(int i) {
        return "{\"id\":\"pg-" + i + "\",\"type\":\"metric\",\"source\":\"batch-source\",\"timestamp\":" + (T0 + i)
            + ",\"data\":{\"i\":" + i + ",\"s\":\"é 传 🚀\"}}";
    }

    @Test
    void withTheDatabaseDownAFullBufferAnswers503AndEveryAcknowledgedEventIsStoredOnceItIsBack() {
        BufferSettings buffer = BufferSettings.builder().bufferEvents(8).retry(Duration.ofMillis(20), Duration.ofMillis(200))
            .build();
        List<String> acknowledged = new ArrayList<>();
        try (TestServer s = TestServer.start(StreamProcessor.builder().addSink(sink(buffer)), ServerSettings.builder())) {
            TestServer.Reply refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                TestServer.Reply r = s.post("/events", "{\"id\":\"down-" + i + "\",\"type\":\"t\",\"source\":\"s\",\"timestamp\":"
                    + (T0 + i) + ",\"data\":{\"n\":" + i + "}}");
                if (r.status() == 200) {
                    acknowledged.add("down-" + i);
                } else {
                    refused = r;
                }
            }
            assertNotNull(refused, "a full buffer refuses requests");
            assertEquals("sink pg is behind, retry later", refused.assertError(503));
            assertNotNull(refused.header("Retry-After"));
            assertEquals(8, acknowledged.size(), "the buffer's 8 events were taken");
            // The sink learns the database is down on its next attempt, which may still be under way.
            TestServer.awaitTrue("/health degraded", WITHIN, () -> "degraded".equals(s.get("/health").json().get("status")));
            TestServer.Reply health = s.get("/health");
            assertEquals("degraded", health.json().get("status"));
            assertEquals("sink pg failing: postgres at localhost:" + pg.port() + " unreachable", health.json().get("reason"));

            pg.startServer();
            TestServer.awaitTrue("the buffer delivered", WITHIN, () -> sinkCount(s, "written") == 8);
            s.post("/events/batch", "[" + batchEvent(100) + "," + batchEvent(101) + "]").assertStatus(200);
            acknowledged.add("pg-100");
            acknowledged.add("pg-101");
            TestServer.awaitTrue("the batch delivered", WITHIN, () -> sinkCount(s, "written") == 10);
        }
        Set<String> stored = new HashSet<>();
        for (Map<String, Object> r : pg.query("SELECT id FROM events")) {
            assertTrue(stored.add((String) r.get("id")), "stored twice: " + r.get("id"));
        }
        assertEquals(new HashSet<>(acknowledged), stored);
    }
}
