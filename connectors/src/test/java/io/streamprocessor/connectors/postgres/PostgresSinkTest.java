package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings.DataType;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings.Method;
import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.streamprocessor.connectors.postgres.Feed.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events through a real PostgreSQL server and back, field by field, by COPY and by INSERT. */
class PostgresSinkTest {
    private static TestPostgres pg;

    @BeforeAll
    static void startDatabase() {
        pg = TestPostgres.start();
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    private static PostgresSinkSettings.Builder settings(String table) {
        return PostgresSinkSettings.builder(pg.url()).user(TestPostgres.USER).table(table);
    }

    private static BufferedSink sink(PostgresSinkSettings s, BufferSettings buffer) {
        return new BufferedSink("pg", new PostgresWriter(s, name -> null), buffer);
    }

    /** The awkward event: text that COPY and JSON both escape, unicode, nested data, numbers as sent. */
    private static final String SOURCE = "é 传 🚀\ttab\nnewline \\back\"quote\u0001";
    private static final String TEXT = "tab\there\nnew line \"quoted\" back\\slash \\u0000 not a NUL, é 传 🚀";

    private static Feed.EventText awkward(int i) {
        return slot -> {
            slot.id("id-" + i + "\\\t\"").type("type é " + i).source(SOURCE).timestamp(T0 + i);
            DataWriter d = slot.data().startObject();
            d.name("value").number(1.5, "1.50".toCharArray(), 0, 4);
            d.name("big").number(1000, "1e3".toCharArray(), 0, 3);
            d.name("negative").number(-42);
            d.name("text").string(TEXT);
            d.name("nul").string("a\u0000b");
            d.name("nested").startObject()
                .name("list").startArray().number(1).string("two").startObject().name("three").number(3).endObject().endArray()
                .name("yes").bool(true).name("nothing").nullValue()
                .endObject();
            d.name("key with \"quotes\" and \\").string("é");
            d.endObject();
        };
    }

    /** The awkward event's data as JSON, with the NUL as PostgreSQL stores it: U+FFFD. */
    private static final String AWKWARD_DATA = "{\"value\":1.50,\"big\":1e3,\"negative\":-42,"
        + "\"text\":\"tab\\there\\nnew line \\\"quoted\\\" back\\\\slash \\\\u0000 not a NUL, é 传 🚀\","
        + "\"nul\":\"a\uFFFDb\",\"nested\":{\"list\":[1,\"two\",{\"three\":3}],\"yes\":true,\"nothing\":null},"
        + "\"key with \\\"quotes\\\" and \\\\\":\"é\"}";

    @ParameterizedTest
    @EnumSource(Method.class)
    void everyFieldReadsBackAsSent(Method method) {
        String table = "round_trip_" + method.configName();
        Feed.ReceivedAt received = new Feed.ReceivedAt();
        BufferedSink sink = sink(settings(table).method(method).build(), BufferSettings.builder().flushEvents(7).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(received).addSink(sink).build().start()) {
            assertEquals(25, Feed.send(p, 0, 25, PostgresSinkTest::awkward).size());
        }
        List<Map<String, Object>> rows = pg.query("SELECT id, type, source, \"timestamp\", received_at, "
            + "data = '" + AWKWARD_DATA.replace("'", "''") + "'::jsonb AS same_data, data->>'text' AS text, "
            + "data->'value' AS value, data->'big' AS big, data->>'nul' AS nul, data #>> '{nested,list,2,three}' AS three, "
            + "data->'nested'->'nothing' AS nothing, data->>'key with \"quotes\" and \\' AS key "
            + "FROM " + table + " ORDER BY \"timestamp\"");
        assertEquals(25, rows.size());
        for (int i = 0; i < 25; i++) {
            Map<String, Object> r = rows.get(i);
            String id = "id-" + i + "\\\t\"";
            assertEquals(id, r.get("id"));
            assertEquals("type é " + i, r.get("type"));
            assertEquals(SOURCE, r.get("source"));
            assertEquals(T0 + i, r.get("timestamp"));
            assertEquals(received.of(id), r.get("received_at"));
            assertEquals(Boolean.TRUE, r.get("same_data"), "data of row " + i);
            assertEquals(TEXT, r.get("text"));
            assertEquals("1.50", r.get("value").toString(), "jsonb keeps the scale of 1.50");
            assertEquals("1000", r.get("big").toString(), "jsonb stores 1e3 by value");
            assertEquals("a\uFFFDb", r.get("nul"));
            assertEquals("3", r.get("three"));
            assertEquals("null", r.get("nothing").toString());
            assertEquals("é", r.get("key"));
        }
        SinkStatus s = sink.status();
        assertEquals(25, s.written());
        assertEquals(0, s.failed());
        assertFalse(s.failing());
    }

    /**
     * The same data as the engine writes it in the event's JSON line (control characters as
     * six-character escapes, numbers as sent) with the NUL escape made U+FFFD's.
     */
    private static final String AWKWARD_DATA_LINE = "{\"value\":1.50,\"big\":1e3,\"negative\":-42,"
        + "\"text\":\"tab\\u0009here\\u000anew line \\\"quoted\\\" back\\\\slash \\\\u0000 not a NUL, é 传 🚀\","
        + "\"nul\":\"a\\ufffdb\",\"nested\":{\"list\":[1,\"two\",{\"three\":3}],\"yes\":true,\"nothing\":null},"
        + "\"key with \\\"quotes\\\" and \\\\\":\"é\"}";

    @Test
    void aJsonColumnKeepsTheDataTextAsTheEngineWritesIt() {
        BufferedSink sink = sink(settings("exact").dataType(DataType.JSON).build(), BufferSettings.defaults());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 3, PostgresSinkTest::awkward);
        }
        List<Map<String, Object>> rows = pg.query("SELECT data::text AS data, pg_typeof(data)::text AS type FROM exact");
        assertEquals(3, rows.size());
        for (Map<String, Object> r : rows) {
            assertEquals(AWKWARD_DATA_LINE, r.get("data"));
            assertEquals("json", r.get("type"));
        }
    }

    @Test
    void theTableIsCreatedInTheSchemaNamedWithEpochMillisAndJsonb() {
        pg.execute("CREATE SCHEMA IF NOT EXISTS analytics");
        BufferedSink sink = sink(settings("Analytics.Clicks").build(), BufferSettings.defaults());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 4, Feed::plain);
        }
        List<Map<String, Object>> columns = pg.query("SELECT column_name, data_type FROM information_schema.columns "
            + "WHERE table_schema = 'analytics' AND table_name = 'clicks' ORDER BY ordinal_position");
        assertEquals(List.of(
            Map.of("column_name", "id", "data_type", "text"),
            Map.of("column_name", "type", "data_type", "text"),
            Map.of("column_name", "source", "data_type", "text"),
            Map.of("column_name", "timestamp", "data_type", "bigint"),
            Map.of("column_name", "received_at", "data_type", "bigint"),
            Map.of("column_name", "data", "data_type", "jsonb")), columns);
        assertEquals(4, pg.count("analytics.clicks"));
        assertEquals(List.of(Map.of("v", "3")), pg.query("SELECT data->>'value' AS v FROM analytics.clicks WHERE id = 'e3'"));
    }

    @Test
    void anExistingTableIsWrittenToAsItIs() {
        pg.execute("CREATE TABLE existing (id text, type text NOT NULL, source text NOT NULL, \"timestamp\" bigint NOT NULL, "
            + "received_at bigint NOT NULL, data jsonb NOT NULL, note text DEFAULT 'kept')",
            "INSERT INTO existing VALUES ('before', 't', 's', 1, 1, '{}', 'old row')");
        BufferedSink sink = sink(settings("existing").build(), BufferSettings.defaults());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 5, Feed::plain);
        }
        assertEquals(6, pg.count("existing"));
        assertEquals(5, pg.count("existing WHERE note = 'kept'"));
    }

    /** Sends three events and waits until the sink fails; its last error. */
    private static String errorOf(PostgresSinkSettings settings) {
        BufferedSink sink = sink(settings, BufferSettings.builder().drainTimeout(Duration.ofMillis(100)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 3, Feed::plain);
            Feed.await("the sink fails", Duration.ofSeconds(10), () -> sink.status().failing());
            return sink.status().lastError();
        }
    }

    @Test
    void aMissingDatabaseOrAWrongTableIsSaidInWords() {
        assertEquals("database nowhere does not exist at localhost:" + pg.port(), errorOf(PostgresSinkSettings.builder(
            "jdbc:postgresql://localhost:" + pg.port() + "/nowhere").user(TestPostgres.USER).build()));
        pg.execute("CREATE TABLE other_shape (id text, payload text)");
        assertEquals("postgres at localhost:" + pg.port() + ": column \"type\" of relation \"other_shape\" does not exist",
            errorOf(settings("other_shape").build()));
        assertEquals("postgres at localhost:" + pg.port() + ": schema \"nosuchschema\" does not exist",
            errorOf(settings("nosuchschema.events").build()));
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void dataTheDatabaseRefusesIsStoredAsTextAndHoldsUpNothing(Method method) {
        String table = "refused_" + method.configName();
        BufferedSink sink = sink(settings(table).method(method).build(), BufferSettings.builder().flushEvents(100).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 10, i -> i != 4 ? Feed.plain(i) : slot -> slot.id("huge").type("metric").source("s")
                .timestamp(T0).data().startObject().name("n").number(Double.POSITIVE_INFINITY, "1e200000".toCharArray(), 0, 8)
                .endObject());
            Feed.await("all ten written", Duration.ofSeconds(10), () -> sink.status().written() == 10);
        }
        assertEquals(10, pg.count(table));
        assertEquals(List.of(Map.of("kind", "string", "text", "{\"n\":1e200000}")),
            pg.query("SELECT jsonb_typeof(data) AS kind, data #>> '{}' AS text FROM " + table + " WHERE id = 'huge'"));
        assertEquals(9, pg.count(table + " WHERE jsonb_typeof(data) = 'object'"));
        assertNull(sink.status().lastError(), "a refused value is not a failure of the target");
    }
}
