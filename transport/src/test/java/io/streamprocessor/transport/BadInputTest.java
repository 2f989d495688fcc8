package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of bad requests. Each gets its documented status and leaves every window of
 * {@code /aggregations} as it was. A body that holds no event (not JSON, not an object, too large,
 * refused before parsing) moves no counter of {@code /stats}; a single event refused by the schema
 * moves exactly {@code totalReceived} and {@code totalRejected}, by one each.
 */
class BadInputTest {
    static final int BODY_LIMIT = 16 * 1024;
    static final int BATCH_LIMIT = 100;
    private static final String VALID = event("metric", "a", T0, 1);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StreamProcessor.builder().ringSize(1024)
                .addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder().maxBodyBytes(BODY_LIMIT).maxBatchEvents(BATCH_LIMIT)
                .maxBufferedBodyBytes(64L << 20));
        // Some history, so that "unchanged" is about non-zero counters and windows.
        server.post("/events/batch", batch(VALID, event("log", "b", T0 + 1, null), event("debug", "a", T0 + 2, 3),
            "{\"type\":\"metric\"}")).assertStatus(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * One bad request: where it goes and the status it must get.
     *
     * @param holdsEvent the body is one well-formed event object, refused by the schema: it counts as
     *                   received and rejected
     */
    record Bad(String name, String method, String path, byte[] body, String contentType, int status, boolean holdsEvent) {
        Bad(String name, String method, String path, byte[] body, String contentType, int status) {
            this(name, method, path, body, contentType, status, false);
        }

        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    private static Bad single(String name, String body) {
        return single(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Bad single(String name, byte[] body) {
        return new Bad(name, "POST", "/events", body, "application/json", 400);
    }

    /** A single well-formed event object that breaks a rule of the schema. */
    private static Bad refused(String name, String body) {
        return new Bad(name, "POST", "/events", body.getBytes(StandardCharsets.UTF_8), "application/json", 400, true);
    }

    private static Bad batchOf(String name, String body, int status) {
        return new Bad(name, "POST", "/events/batch", body.getBytes(StandardCharsets.UTF_8), "application/json", status);
    }

    /** {@code {"type":"t","source":"s",<member>}}. */
    private static String with(String member) {
        return "{\"type\":\"t\",\"source\":\"s\"," + member + "}";
    }

    /** A data object of nesting depth {@code depth}, counting the data object itself as 1. */
    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** A data object with {@code fields} fields in all: a nested object holds some of them. */
    static String fields(int fields) {
        StringBuilder b = new StringBuilder("{\"inner\":{");
        int inner = fields / 4;
        for (int i = 0; i < inner; i++) {
            b.append(i == 0 ? "" : ",").append("\"i").append(i).append("\":").append(i);
        }
        b.append('}');
        for (int i = 0; i < fields - inner - 1; i++) {
            b.append(",\"f").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                for (int b : (int[]) p) {
                    out.write(b);
                }
            }
        }
        return out.toByteArray();
    }

    static Stream<Bad> corpus() {
        List<Bad> c = new ArrayList<>();
        // Malformed JSON.
        for (String body : List.of("{", "}", "{\"type\":\"t\",\"source\":\"s\",}", "{\"type\":\"t\" \"source\":\"s\"}",
            "{type:\"t\",source:\"s\"}", "{'type':'t','source':'s'}", "{\"type\":\"t\",\"source\":\"s\"}}",
            "{\"type\":\"t\",\"source\":\"s\"} {}", "{\"type\":\"t\",\"source\":\"s\"}x", "NaN", "tru", "nul",
            with("\"data\":{\"v\":01}"), with("\"data\":{\"v\":NaN}"), with("\"data\":{\"v\":\"open}}"),
            with("\"data\":{\"a\":[1,2}}"), with("\"data\":{\"a\":1,}"), "/* c */ " + VALID,
            "{\"type\":\"t\u0001\",\"source\":\"s\"}",
            "\uFEFF" + VALID.substring(0, 10))) {
            c.add(single("malformed " + body.substring(0, Math.min(40, body.length())), body));
        }
        // Every truncation of a valid event.
        String full = "{\"id\":\"e1\",\"type\":\"metric\",\"source\":\"web\",\"timestamp\":" + T0
            + ",\"data\":{\"value\":95.5,\"tags\":[\"a\",{\"b\":null}],\"ok\":true}}";
        for (int cut = 1; cut < full.length(); cut += 3) {
            c.add(single("truncated at " + cut, full.substring(0, cut)));
        }
        // Not an object.
        for (String body : List.of("[]", "[" + VALID + "]", "42", "\"event\"", "null", "true", "-1.5")) {
            c.add(single("not an object " + body.substring(0, Math.min(20, body.length())), body));
        }
        // Every top-level string field with every wrong JSON type.
        for (String field : List.of("type", "source", "id")) {
            for (String wrong : List.of("7", "1.5", "true", "false", "null", "{}", "{\"a\":1}", "[]", "[\"x\"]")) {
                String body = switch (field) {
                    case "type" -> "{\"type\":" + wrong + ",\"source\":\"s\"}";
                    case "source" -> "{\"type\":\"t\",\"source\":" + wrong + "}";
                    default -> with("\"id\":" + wrong);
                };
                c.add(refused(field + " as " + wrong, body));
            }
        }
        // Timestamps that are not positive integer epoch ms within the skew.
        long farFuture = System.currentTimeMillis() + Duration.ofHours(2).toMillis();
        for (String wrong : List.of("\"1699380000000\"", "1699380000000.5", "1.6e12", "1e999", "-1", "0", "-1699380000000",
            "99999999999999999999", String.valueOf(Long.MAX_VALUE), String.valueOf(farFuture), "null", "true", "{}",
            "[]")) {
            c.add(refused("timestamp " + wrong, with("\"timestamp\":" + wrong)));
        }
        // Data that is not an object.
        for (String wrong : List.of("[]", "[1,2]", "\"x\"", "5", "null", "true")) {
            c.add(refused("data as " + wrong, with("\"data\":" + wrong)));
        }
        // Lengths just outside.
        c.add(refused("type of 129 chars", "{\"type\":\"" + "t".repeat(129) + "\",\"source\":\"s\"}"));
        c.add(refused("type of 129 two-byte chars", "{\"type\":\"" + "é".repeat(129) + "\",\"source\":\"s\"}"));
        c.add(refused("type empty", "{\"type\":\"\",\"source\":\"s\"}"));
        c.add(refused("source of 257 chars", "{\"type\":\"t\",\"source\":\"" + "s".repeat(257) + "\"}"));
        c.add(refused("source empty", "{\"type\":\"t\",\"source\":\"\"}"));
        c.add(refused("id of 257 chars", with("\"id\":\"" + "i".repeat(257) + "\"")));
        c.add(refused("id empty", with("\"id\":\"\"")));
        c.add(refused("type and source missing", "{}"));
        c.add(refused("source missing", "{\"type\":\"t\"}"));
        c.add(refused("type missing", "{\"source\":\"s\"}"));
        // Data limits just outside.
        c.add(refused("data depth 17", with("\"data\":" + nested(17))));
        c.add(refused("data depth 17 through arrays", with("\"data\":{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}")));
        c.add(refused("data depth 200", with("\"data\":" + nested(200))));
        c.add(refused("data with 257 fields", with("\"data\":" + fields(257))));
        // Unknown and repeated fields.
        c.add(refused("unknown top-level field", with("\"extra\":1")));
        c.add(refused("unknown field receivedAt", with("\"receivedAt\":1")));
        c.add(refused("duplicate type", "{\"type\":\"t\",\"type\":\"u\",\"source\":\"s\"}"));
        c.add(refused("duplicate source", "{\"type\":\"t\",\"source\":\"s\",\"source\":\"s\"}"));
        c.add(refused("duplicate data", with("\"data\":{},\"data\":{}")));
        c.add(refused("duplicate timestamp", with("\"timestamp\":1,\"timestamp\":2")));
        // Invalid UTF-8.
        c.add(single("0xFF in type", bytes("{\"type\":\"", new int[] {0xFF}, "\",\"source\":\"s\"}")));
        c.add(single("lone continuation byte in source", bytes("{\"type\":\"t\",\"source\":\"", new int[] {0x80}, "\"}")));
        c.add(single("truncated sequence in data", bytes(with("\"data\":{\"v\":\""), new int[] {0xE2, 0x82}, "\"}}")));
        c.add(single("bad continuation in id", bytes(with("\"id\":\""), new int[] {0xC3, 0x28}, "\"")));
        c.add(single("invalid byte in a field name", bytes(with("\"data\":{\""), new int[] {0xFE}, "\":1}")));
        c.add(single("overlong encoding of '/' in type", bytes("{\"type\":\"", new int[] {0xC0, 0xAF}, "\",\"source\":\"s\"}")));
        c.add(single("overlong encoding of NUL in source", bytes("{\"type\":\"t\",\"source\":\"", new int[] {0xC0, 0x80}, "\"}")));
        c.add(single("UTF-8 encoded surrogate in type", bytes("{\"type\":\"", new int[] {0xED, 0xA0, 0x80}, "\",\"source\":\"s\"}")));
        c.add(single("code point past U+10FFFF in data", bytes(with("\"data\":{\"v\":\""), new int[] {0xF4, 0x90, 0x80, 0x80}, "\"}")));
        c.add(single("invalid byte outside strings", bytes("{\"type\":\"t\",", new int[] {0xFF}, "\"source\":\"s\"}")));
        // Empty body.
        c.add(single("empty body", ""));
        c.add(single("blank body", "  \r\n "));
        // Batches refused as a whole.
        c.add(batchOf("batch empty body", "", 400));
        c.add(batchOf("batch truncated", "[" + VALID + "," + VALID, 400));
        c.add(batchOf("batch truncated inside an element", "[" + VALID + ",{\"type\":\"t\",\"sou", 400));
        c.add(batchOf("batch trailing comma", "[" + VALID + ",]", 400));
        c.add(batchOf("batch junk after", "[" + VALID + "]]", 400));
        c.add(batchOf("batch missing comma", "[" + VALID + VALID + "]", 400));
        c.add(batchOf("batch of an object", VALID, 400));
        c.add(batchOf("batch of a number", "3", 400));
        c.add(batchOf("batch of null", "null", 400));
        c.add(batchOf("batch malformed element", "[" + VALID + ",{type:1}]", 400));
        c.add(new Bad("batch invalid UTF-8", "POST", "/events/batch",
            bytes("[" + VALID + ",{\"type\":\"", new int[] {0xFF}, "\",\"source\":\"s\"}]"), "application/json", 400));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= BATCH_LIMIT; i++) {
            many.add("{\"type\":\"t\",\"source\":\"s\"}");
        }
        c.add(batchOf("batch one over the event limit", batch(many), 413));
        // Bodies over the byte limit.
        String huge = ApiContractTest.padded(BODY_LIMIT + 1);
        c.add(new Bad("event over the byte limit", "POST", "/events", huge.getBytes(StandardCharsets.UTF_8), "application/json", 413));
        c.add(batchOf("batch over the byte limit", "[" + huge + "]", 413));
        // Content types that are not JSON.
        for (String type : List.of("text/plain", "application/octet-stream", "text/html; charset=utf-8",
            "application/x-www-form-urlencoded", "application/jsonp", "image/png")) {
            c.add(new Bad("content type " + type, "POST", "/events", VALID.getBytes(StandardCharsets.UTF_8), type, 415));
            c.add(new Bad("batch content type " + type, "POST", "/events/batch",
                batch(VALID).getBytes(StandardCharsets.UTF_8), type, 415));
        }
        // Unknown paths and wrong methods.
        for (String path : List.of("/event", "/events/", "/events/batch/", "/EVENTS", "/events/single", "/metricsx",
            "/stats/", "/%2e%2e/etc/passwd", "/events%00")) {
            c.add(new Bad("POST " + path, "POST", path, VALID.getBytes(StandardCharsets.UTF_8), "application/json", 404));
            c.add(new Bad("GET " + path, "GET", path, null, null, 404));
        }
        for (String path : List.of("/events", "/events/batch")) {
            for (String m : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS")) {
                c.add(new Bad(m + " " + path, m, path, m.equals("PUT") || m.equals("PATCH")
                    ? VALID.getBytes(StandardCharsets.UTF_8) : null, "application/json", 405));
            }
        }
        for (String path : List.of("/stats", "/aggregations", "/health")) {
            for (String m : List.of("POST", "PUT", "DELETE")) {
                c.add(new Bad(m + " " + path, m, path, VALID.getBytes(StandardCharsets.UTF_8), "application/json", 405));
            }
        }
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void badRequestGetsItsStatusAndChangesNothingElse(Bad bad) {
        Map<String, Object> before = observable(bad.holdsEvent);
        Reply r = server.send(bad.method, bad.path, bad.body, bad.contentType);
        TestServer.assertSpeaksOfTheRequest(bad.name, r.assertError(bad.status));
        if (bad.status == 405) {
            assertTrue(r.header("allow") != null, "405 carries Allow");
        }
        if (bad.holdsEvent) {
            counted(before, "totalReceived");
            counted(before, "totalRejected");
        }
        assertEquals(before, observable(bad.holdsEvent), bad.name + (bad.holdsEvent
            ? ": received and rejected counted once, nothing else changed" : ": stats and aggregations unchanged"));
    }

    @SuppressWarnings("unchecked")
    private static void counted(Map<String, Object> observed, String counter) {
        Map<String, Object> counters = (Map<String, Object>) observed.get("stats");
        counters.put(counter, (Long) counters.get(counter) + 1);
    }

    /**
     * Everything of /stats and /aggregations a request could change; throughput only decays with
     * time, the ring's use is work in flight at the moment of the read (a refused batch's void
     * slots pass through too), and a refused event's request has a latency like any other.
     */
    private static Map<String, Object> observable(boolean withoutLatency) {
        Map<String, Object> stats = server.stats();
        @SuppressWarnings("unchecked")
        Map<String, Object> counters = new HashMap<>((Map<String, Object>) stats.get("stats"));
        counters.remove("throughput");
        counters.remove("ringUsed");
        if (withoutLatency) {
            counters.keySet().removeAll(List.of("avgProcessingTime", "p50", "p90", "p99", "p999", "max", "recent"));
        }
        Map<String, Object> all = new HashMap<>();
        all.put("stats", counters);
        all.put("metrics", stats.get("metrics"));
        all.put("bufferSize", stats.get("bufferSize"));
        all.put("aggregations", server.aggregations());
        return all;
    }

    /**
     * Malformed JSON, alone and as an element of a batch: 400 with a message of ours that says what
     * is wrong and where, never the parser's words, and nothing taken.
     */
    @Test
    void malformedJsonIsToldInWordsAboutTheRequest() {
        String full = "{\"id\":\"e1\",\"type\":\"metric\",\"source\":\"web\",\"timestamp\":" + T0
            + ",\"data\":{\"value\":-95.5e-1,\"tags\":[\"a\",{\"b\":null}],\"ok\":true,\"s\":\"x\\u00e9\\n\"}}";
        List<String> bodies = new ArrayList<>();
        for (int cut = 1; cut < full.length(); cut++) {
            bodies.add(full.substring(0, cut));
        }
        bodies.addAll(List.of(
            with("\"data\":{\"v\":NaN}"), with("\"data\":{\"v\":-Infinity}"), with("\"data\":{\"v\":Infinity}"),
            with("\"data\":{\"v\":-NaN}"), with("\"data\":{\"v\":+1}"), with("\"data\":{\"v\":undefined}"),
            with("\"data\":{\"v\":tru}"), with("\"data\":{\"v\":01}"), with("\"data\":{\"v\":1.}"), with("\"data\":{\"v\":.5}"),
            with("\"data\":{\"v\":1e}"), with("\"timestamp\":" + "9".repeat(70)), with("\"data\":{\"v\":1" + "0".repeat(70) + "}"),
            with("\"data\":{\"v\":0." + "5".repeat(70) + "}"),
            "{'type':'t','source':'s'}", with("\"data\":{\"s\":'x'}"), "{type:\"t\",source:\"s\"}",
            "{\"type\":\"t\",\"source\":\"s\",}", with("\"data\":{\"a\":1,}"), with("\"data\":{\"a\":[1,2,]}"),
            "{\"type\":\"t\" \"source\":\"s\"}", with("\"data\":{\"a\":[1,2}}"), with("\"data\":{\"a\":}"),
            "{\"type\":\"t\u0001\",\"source\":\"s\"}", with("\"data\":{\"s\":\"tab\there\"}"), "{\"type\":\"t\"\u0000}",
            with("\"data\":{\"s\":\"\\x\"}"), with("\"data\":{\"s\":\"\\u12\"}"),
            "/* c */ " + VALID, "// c\n" + VALID, "# c\n" + VALID, VALID + " /* c */", VALID + " {}",
            with("\"data\":" + "[".repeat(1001)), with("\"data\":{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}}"),
            "\u0000{\"type\":\"t\",\"source\":\"s\"}"));
        Map<String, Object> before = observable(false);
        for (String body : bodies) {
            for (boolean inBatch : new boolean[] {false, true}) {
                String sent = inBatch ? "[" + VALID + "," + body + "]" : body;
                String name = sent.length() > 60 ? sent.substring(0, 60) + "..." : sent;
                String path = inBatch ? "/events/batch" : "/events";
                String error = server.post(path, sent).assertError(400);
                assertTrue(error.startsWith("malformed JSON: "), path + " " + name + ": " + error);
                assertTrue(error.matches(".*\\(line \\d+, column \\d+\\)"), path + " " + name + ": says where: " + error);
                TestServer.assertSpeaksOfTheRequest(path + " " + name, error);
            }
        }
        assertEquals(before, observable(false), "malformed bodies take nothing");

        String error = server.post("/events", with("\"timestamp\":1e999")).assertError(400);
        assertTrue(error.contains("timestamp"), "a well-formed number of the wrong kind names its field: " + error);
        TestServer.assertSpeaksOfTheRequest("timestamp 1e999", error);
    }

    @Test
    void invalidElementsOfAValidBatchAreCountedAsRejected() {
        Map<String, Object> before = server.stats();
        List<String> elements = new ArrayList<>(List.of(
            VALID,
            "{\"type\":7,\"source\":\"s\"}",
            with("\"timestamp\":\"soon\""),
            with("\"data\":" + nested(17)),
            with("\"data\":" + fields(257)),
            with("\"extra\":true"),
            "{\"type\":\"t\",\"type\":\"t\",\"source\":\"s\"}",
            "[]",
            "null",
            "{\"type\":\"" + "t".repeat(129) + "\",\"source\":\"s\"}"));
        Reply r = server.post("/events/batch", batch(elements));
        r.assertStatus(200);
        Map<String, Object> body = r.json();
        assertEquals(10L, body.get("total"));
        assertEquals(1L, body.get("processed"));
        assertEquals(9L, body.get("rejected"));
        assertEquals(9, ((List<?>) body.get("errors")).size());

        Map<String, Object> after = server.stats();
        assertEquals(longAt(before, "stats.totalReceived") + 10, longAt(after, "stats.totalReceived"));
        assertEquals(longAt(before, "stats.totalRejected") + 9, longAt(after, "stats.totalRejected"));
        assertEquals(longAt(before, "stats.totalProcessed") + 1, longAt(after, "stats.totalProcessed"));
    }

    @Test
    void deeplyNestedElementIsRejectedWithoutSinkingItsBatch() {
        Map<String, Object> before = server.stats();
        Reply r = server.post("/events/batch", batch(VALID, with("\"data\":" + nested(300)), VALID));
        r.assertStatus(200);
        Map<String, Object> body = r.json();
        assertEquals(2L, body.get("processed"), body.toString());
        assertEquals(1L, body.get("rejected"), body.toString());
        assertEquals(longAt(before, "stats.totalProcessed") + 2, longAt(server.stats(), "stats.totalProcessed"));
    }

    @Test
    void valuesJustInsideTheLimitsAreAccepted() {
        List<String> bodies = List.of(
            "{\"type\":\"" + "t".repeat(128) + "\",\"source\":\"s\"}",
            "{\"type\":\"" + "é".repeat(128) + "\",\"source\":\"s\"}",
            "{\"type\":\"t\",\"source\":\"" + "s".repeat(256) + "\"}",
            with("\"id\":\"" + "i".repeat(256) + "\""),
            with("\"id\":\"x\""),
            "{\"type\":\"t\",\"source\":\"s\",\"data\":" + nested(16) + "}",
            "{\"type\":\"t\",\"source\":\"s\",\"data\":{\"a\":" + "[".repeat(15) + "]".repeat(15) + "}}",
            "{\"type\":\"t\",\"source\":\"s\",\"data\":" + fields(256) + "}",
            with("\"timestamp\":1"),
            with("\"timestamp\":" + (System.currentTimeMillis() + Duration.ofMinutes(50).toMillis())),
            with("\"data\":{}"),
            with("\"data\":{\"value\":-0,\"x\":1E2,\"s\":\"\\u00e9\\ud83d\\ude00\",\"n\":null,\"b\":[true,false]}"),
            "\r\n " + VALID + " \r\n");
        for (String body : bodies) {
            Map<String, Object> before = server.stats();
            Reply r = server.post("/events", body);
            assertEquals(200, r.status(), body.substring(0, Math.min(60, body.length())) + " -> " + r.body());
            assertEquals(longAt(before, "stats.totalProcessed") + 1, longAt(server.stats(), "stats.totalProcessed"));
        }
        assertEquals(Map.of("total", 9L, "processed", 9L, "filtered", 0L),
            server.post("/events/batch", batch(bodies.subList(0, 9))).json(), "the same events in a batch");
    }
}
