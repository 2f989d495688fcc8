package io.streamprocessor.transport;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.EventText.events;
import static io.streamprocessor.transport.Json.at;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every row of API.md, checked from outside through HTTP. */
class ApiContractTest {
    private static final Map<String, Object> PROCESSED = Map.of("success", true, "message", "Event processed");
    private static final Map<String, Object> FILTERED = Map.of("success", true, "message", "Event filtered", "filtered", true);

    // ------------------------------------------------------------------ POST /events

    @Test
    void validEventIsProcessed() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events", event("metric", "web-1", T0, 95.5));
            r.assertStatus(200);
            assertEquals(PROCESSED, r.json());
            assertEquals("application/json", r.header("content-type"));
            assertEquals(1L, longAt(s.stats(), "stats.totalProcessed"));
        }
    }

    @Test
    void eventDroppedByAFilterIsAnsweredFiltered() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder())) {
            Reply r = s.post("/events", event("debug", "web-1", T0, 1));
            r.assertStatus(200);
            assertEquals(FILTERED, r.json());

            Map<String, Object> stats = s.stats();
            assertEquals(1L, longAt(stats, "stats.totalFiltered"));
            assertEquals(0L, longAt(stats, "stats.totalProcessed"));
            assertEquals(Map.of(), at(stats, "metrics"), "filtered events are not processed per type:source");
            assertEquals(0L, longAt(s.aggregations(), "count"), "filtered events are not aggregated");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "type missing       | {\"source\":\"s\"}                                  | type",
        "type not a string  | {\"type\":7,\"source\":\"s\"}                       | type",
        "type empty         | {\"type\":\"\",\"source\":\"s\"}                    | type",
        "source missing     | {\"type\":\"t\"}                                    | source",
        "source not string  | {\"type\":\"t\",\"source\":[]}                      | source",
        "id not a string    | {\"type\":\"t\",\"source\":\"s\",\"id\":5}          | id",
        "timestamp string   | {\"type\":\"t\",\"source\":\"s\",\"timestamp\":\"x\"} | timestamp",
        "timestamp zero     | {\"type\":\"t\",\"source\":\"s\",\"timestamp\":0}   | timestamp",
        "data not an object | {\"type\":\"t\",\"source\":\"s\",\"data\":[1]}      | data",
        "unknown field      | {\"type\":\"t\",\"source\":\"s\",\"color\":\"red\"} | color",
    })
    void invalidEventIs400NamingTheField(String what, String body, String field) {
        try (TestServer s = TestServer.start()) {
            String error = s.post("/events", body).assertError(400);
            assertTrue(error.contains(field), what + ": the error names '" + field + "': " + error);
            assertEquals(0L, longAt(s.stats(), "stats.totalProcessed"));
        }
    }

    @Test
    void malformedOrNonObjectEventIs400() {
        try (TestServer s = TestServer.start()) {
            for (String body : List.of("{\"type\":", "not json", "[]", "42", "\"event\"", "null")) {
                String error = s.post("/events", body).assertError(400);
                assertTrue(error.contains("JSON") || error.contains("object"), body + " -> " + error);
            }
        }
    }

    @Test
    void acceptedEventReachesSinksWithReceivedAtAndAGeneratedUniqueId() {
        CollectingSink sink = new CollectingSink();
        try (TestServer s = TestServer.start(StreamProcessor.builder().addSink(sink), ServerSettings.builder())) {
            long before = System.currentTimeMillis();
            s.post("/events", "{\"type\":\"t\",\"source\":\"s\"}").assertStatus(200);
            s.post("/events", "{\"type\":\"t\",\"source\":\"s\"}").assertStatus(200);
            s.post("/events", "{\"type\":\"t\",\"source\":\"s\",\"id\":\"mine\",\"timestamp\":" + T0 + "}").assertStatus(200);
            long after = System.currentTimeMillis();

            List<Map<String, Object>> seen = sink.events();
            assertEquals(3, seen.size());
            Set<Object> ids = new HashSet<>();
            for (Map<String, Object> e : seen) {
                assertTrue(e.get("id") instanceof String id && !id.isEmpty(), "id: " + e);
                ids.add(e.get("id"));
                long receivedAt = longAt(e, "receivedAt");
                assertTrue(receivedAt >= before && receivedAt <= after, "receivedAt is the server's receive time: " + e);
                assertEquals(Map.of(), e.get("data"), "data defaults to {}");
            }
            assertEquals(3, ids.size(), "generated ids are unique");
            assertEquals(longAt(seen.get(0), "receivedAt"), longAt(seen.get(0), "timestamp"),
                "an event without a timestamp is stamped with its receive time");
            assertEquals("mine", seen.get(2).get("id"));
            assertEquals(T0, longAt(seen.get(2), "timestamp"));
        }
    }

    // ------------------------------------------------------------------ POST /events/batch

    @Test
    void allValidBatchAnswersTotalProcessedFiltered() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder())) {
            Reply r = s.post("/events/batch", batch(event("metric", "a", T0, 1), event("debug", "a", T0, 2),
                event("log", "b", T0 + 1, null)));
            r.assertStatus(200);
            assertEquals(Map.of("total", 3L, "processed", 2L, "filtered", 1L), r.json());
            Map<String, Object> stats = s.stats();
            assertEquals(2L, longAt(stats, "stats.totalProcessed"));
            assertEquals(1L, longAt(stats, "stats.totalFiltered"));
        }
    }

    @Test
    void invalidElementsAreRejectedAndTheValidOnesProcessed() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events/batch", batch(
                event("metric", "a", T0, 1),
                "{\"source\":\"a\"}",
                event("metric", "a", T0 + 1, 2),
                "{\"type\":\"metric\",\"source\":\"a\",\"timestamp\":-5}",
                "17"));
            r.assertStatus(200);
            Map<String, Object> body = r.json();
            assertEquals(Set.of("total", "processed", "filtered", "rejected", "errors"), body.keySet());
            assertEquals(5L, body.get("total"));
            assertEquals(2L, body.get("processed"));
            assertEquals(0L, body.get("filtered"));
            assertEquals(3L, body.get("rejected"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
            assertEquals(List.of(1L, 3L, 4L), errors.stream().map(e -> e.get("index")).toList());
            assertTrue(((String) errors.get(0).get("error")).contains("type"), errors.toString());
            assertTrue(((String) errors.get(1).get("error")).contains("timestamp"), errors.toString());
            assertTrue(((String) errors.get(2).get("error")).contains("object"), errors.toString());

            Map<String, Object> stats = s.stats();
            assertEquals(2L, longAt(stats, "stats.totalProcessed"));
            assertEquals(3L, longAt(stats, "stats.totalRejected"));
            assertEquals(5L, longAt(stats, "stats.totalReceived"));
        }
    }

    @Test
    void batchErrorsListAtMostHundredEntriesAndTotalsAddUp() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder())) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                events.add("{\"type\":\"metric\"}");
                if (i % 10 == 0) {
                    events.add(event("metric", "a", T0 + i, i));
                    events.add(event("debug", "a", T0 + i, i));
                }
            }
            Map<String, Object> body = s.post("/events/batch", batch(events)).json();
            assertEquals(180L, body.get("total"));
            assertEquals(15L, body.get("processed"));
            assertEquals(15L, body.get("filtered"));
            assertEquals(150L, body.get("rejected"));
            assertEquals(longAt(body, "total"), longAt(body, "processed") + longAt(body, "filtered") + longAt(body, "rejected"));
            assertEquals(100, ((List<?>) body.get("errors")).size(), "at most 100 errors are listed");
        }
    }

    @Test
    void malformedOrNonArrayBatchIs400AndProcessesNothing() {
        String good = event("metric", "a", T0, 1);
        List<String> bodies = List.of(
            "[" + good + "," + good + ",{\"type\":",          // truncated after valid elements
            "[" + good + "," + good + "] trailing",           // junk after the array
            "[" + good + "," + good + ",]",                   // trailing comma
            "[" + good + " " + good + "]",                    // missing comma
            good,                                             // an object, not an array
            "\"events\"",
            "",
            "[");
        try (TestServer s = TestServer.start()) {
            for (String body : bodies) {
                s.post("/events/batch", body).assertError(400);
            }
            Map<String, Object> stats = s.stats();
            assertEquals(0L, longAt(stats, "stats.totalReceived"), "no event of a 400 batch is taken");
            assertEquals(0L, longAt(stats, "stats.totalProcessed"));
            assertEquals(0L, longAt(stats, "stats.totalRejected"));
            assertEquals(0L, longAt(s.aggregations(), "count"));
        }
    }

    @Test
    void batchOverTheEventLimitIs413AndProcessesNothing() {
        ServerSettings.Builder limits = ServerSettings.builder().maxBodyBytes(1 << 20).maxBatchEvents(5)
            .maxBufferedBodyBytes(64L << 20);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(64), limits)) {
            s.post("/events/batch", batch(events(6, "metric", "a", T0, 1))).assertError(413);
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));

            Reply atLimit = s.post("/events/batch", batch(events(5, "metric", "a", T0, 1)));
            assertEquals(Map.of("total", 5L, "processed", 5L, "filtered", 0L), atLimit.json());
        }
    }

    @Test
    void defaultBatchLimitIsTenThousandEvents() {
        try (TestServer s = TestServer.start()) {
            s.post("/events/batch", batch(events(10_001, "metric", "a", T0, 1))).assertError(413);
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
            Reply r = s.post("/events/batch", batch(events(10_000, "metric", "a", T0, 1)));
            assertEquals(Map.of("total", 10_000L, "processed", 10_000L, "filtered", 0L), r.json());
        }
    }

    @Test
    void emptyBatchAnswersZeros() {
        try (TestServer s = TestServer.start()) {
            for (String body : List.of("[]", " [ ] \n")) {
                Reply r = s.post("/events/batch", body);
                r.assertStatus(200);
                assertEquals(Map.of("total", 0L, "processed", 0L, "filtered", 0L), r.json());
            }
        }
    }

    // ------------------------------------------------------------------ 413, 415

    @Test
    void bodyOverTheByteLimitIs413() {
        int limit = 1024;
        ServerSettings.Builder limits = ServerSettings.builder().maxBodyBytes(limit).maxBatchEvents(100)
            .maxBufferedBodyBytes(64L << 20);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(128), limits)) {
            String exact = padded(limit);
            assertEquals(limit, exact.getBytes(StandardCharsets.UTF_8).length);
            s.post("/events", exact).assertStatus(200);
            s.post("/events/batch", "[" + padded(limit - 2) + "]").assertStatus(200);

            String over = padded(limit + 1);
            s.post("/events", over).assertError(413);
            s.post("/events/batch", "[" + padded(limit - 1) + "]").assertError(413);
            s.post("/events", padded(limit * 8)).assertError(413);
            assertEquals(2L, longAt(s.stats(), "stats.totalReceived"), "413 bodies take nothing");
        }
    }

    @Test
    void everyOversizedBodyGetsItsAnswer() {
        ServerSettings.Builder limits = ServerSettings.builder().maxBodyBytes(1024).maxBatchEvents(100)
            .maxBufferedBodyBytes(64L << 20);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(128), limits)) {
            // Large enough to be still arriving when the 413 goes out: the answer must not be lost to a reset.
            String body = padded(256 * 1024);
            for (int i = 0; i < 25; i++) {
                s.post(i % 2 == 0 ? "/events" : "/events/batch", i % 2 == 0 ? body : "[" + body + "]").assertError(413);
            }
            s.post("/events", event("metric", "a", T0, 1)).assertStatus(200);
            assertEquals(1L, longAt(s.stats(), "stats.totalReceived"));
        }
    }

    /** A valid event exactly {@code bytes} long (at least ~60). */
    static String padded(int bytes) {
        String head = "{\"type\":\"metric\",\"source\":\"a\",\"data\":{\"pad\":\"";
        String tail = "\"}}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    @Test
    void nonJsonContentTypeIs415AndAbsentOrCharsetIsAccepted() {
        try (TestServer s = TestServer.start()) {
            byte[] one = event("metric", "a", T0, 1).getBytes(StandardCharsets.UTF_8);
            byte[] many = batch(event("metric", "a", T0, 1)).getBytes(StandardCharsets.UTF_8);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                "multipart/form-data; boundary=x")) {
                s.send("POST", "/events", one, type).assertError(415);
                s.send("POST", "/events/batch", many, type).assertError(415);
            }
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"), "415 bodies take nothing");

            s.send("POST", "/events", one, null).assertStatus(200);
            s.send("POST", "/events", one, "application/json; charset=utf-8").assertStatus(200);
            s.send("POST", "/events", one, "Application/JSON").assertStatus(200);
            s.send("POST", "/events/batch", many, null).assertStatus(200);
            s.send("POST", "/events/batch", many, "application/json; charset=utf-8").assertStatus(200);
            assertEquals(5L, longAt(s.stats(), "stats.totalProcessed"));
        }
    }

    // ------------------------------------------------------------------ GET /aggregations

    @Test
    void oneEventFallsInSixDefaultWindowsOrderedByStart() {
        try (TestServer s = TestServer.start()) {
            long t = T0 + 25_000;
            s.post("/events", event("metric", "web-1", t, 95.5)).assertStatus(200);

            Map<String, Object> body = s.aggregations();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> windows = (List<Map<String, Object>>) body.get("aggregations");
            assertEquals(6L, body.get("count"));
            assertEquals(6, windows.size(), "60 s windows sliding by 10 s: an event is in six");
            long start = T0 - 30_000;
            for (Map<String, Object> w : windows) {
                assertEquals(start, longAt(w, "window.start"), "aligned to the epoch, ordered by start");
                assertEquals(start + 60_000, longAt(w, "window.end"));
                assertEquals(1L, w.get("count"));
                assertEquals(95.5, w.get("sum"));
                assertEquals(95.5, w.get("avg"));
                assertEquals(95.5, w.get("min"));
                assertEquals(95.5, w.get("max"));
                assertEquals(1L, w.get("valueCount"));
                assertEquals(1L, w.get("distinctSources"));
                assertEquals(Map.of("metric", 1L), w.get("eventsByType"));
                start += 10_000;
            }
        }
    }

    @Test
    void windowAggregatesCountSumAvgMinMaxSourcesAndTypes() {
        try (TestServer s = TestServer.start(StreamProcessor.builder()
            .window(Duration.ofSeconds(60), Duration.ofSeconds(60)), ServerSettings.builder())) {
            s.post("/events/batch", batch(
                event("metric", "a", T0 + 1, 10),
                event("metric", "b", T0 + 2, 200),
                event("log", "a", T0 + 3, 40),
                event("trace", "c", T0 + 4, null))).assertStatus(200);

            Map<String, Object> body = s.aggregations();
            assertEquals(1L, body.get("count"), "tumbling: one window");
            Object w = ((List<?>) body.get("aggregations")).get(0);
            assertEquals(T0, longAt(w, "window.start"));
            assertEquals(T0 + 60_000, longAt(w, "window.end"));
            assertEquals(4L, at(w, "count"), "an event without a value still counts");
            assertEquals(3L, at(w, "valueCount"));
            assertEquals(250L, at(w, "sum"), "whole numbers are written as integers");
            assertEquals(250.0 / 3, ((Number) at(w, "avg")).doubleValue(), 1e-9);
            assertEquals(10L, at(w, "min"));
            assertEquals(200L, at(w, "max"));
            assertEquals(3L, at(w, "distinctSources"));
            assertEquals(Map.of("metric", 2L, "log", 1L, "trace", 1L), at(w, "eventsByType"));
        }
    }

    @Test
    void windowWithoutNumericValuesHasZeroSumAndNullAvgMinMax() {
        try (TestServer s = TestServer.start()) {
            s.post("/events", "{\"type\":\"log\",\"source\":\"a\",\"timestamp\":" + T0 + ",\"data\":{\"value\":\"high\"}}")
                .assertStatus(200);
            s.post("/events", event("log", "a", T0 + 1, null)).assertStatus(200);
            for (Object w : (List<?>) s.aggregations().get("aggregations")) {
                Map<?, ?> m = (Map<?, ?>) w;
                assertEquals(2L, m.get("count"));
                assertEquals(0L, m.get("sum"));
                for (String k : List.of("avg", "min", "max")) {
                    assertTrue(m.containsKey(k), k + " present");
                    assertNull(m.get(k), k + " is null without a numeric value");
                }
            }
        }
    }

    @Test
    void noEventsMeansNoWindows() {
        try (TestServer s = TestServer.start()) {
            assertEquals(Map.of("aggregations", List.of(), "count", 0L), s.aggregations());
        }
    }

    // ------------------------------------------------------------------ GET /stats

    @Test
    void everyEventIsReceivedOnceAsProcessedFilteredOrRejectedAndBodiesWithoutEventsCountNothing() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder())) {
            s.post("/events", event("metric", "a", T0, 1)).assertStatus(200);
            s.post("/events", event("debug", "a", T0, 1)).assertStatus(200);
            s.post("/events", "{\"type\":\"metric\"}").assertError(400);             // refused by the schema
            s.post("/events", "{\"type\":\"metric\",\"source\":\"a\",\"colour\":1}").assertError(400);
            s.post("/events", "{\"type\":").assertError(400);                     // not JSON: no event
            s.post("/events", "[1, 2]").assertError(400);                           // not an object: no event
            s.post("/events/batch", "{}").assertError(400);                         // not an array: no event
            s.post("/events/batch", batch(event("metric", "b", T0 + 1, 2), event("debug", "b", T0, 1),
                "{\"source\":\"b\"}", "7")).assertStatus(200);

            Map<?, ?> stats = (Map<?, ?>) s.stats().get("stats");
            assertEquals(2L, stats.get("totalProcessed"), stats.toString());
            assertEquals(2L, stats.get("totalFiltered"), stats.toString());
            assertEquals(4L, stats.get("totalRejected"), "two single events and two batch elements: " + stats);
            assertEquals(8L, stats.get("totalReceived"), "received = processed + filtered + rejected: " + stats);
        }
    }

    @Test
    void statsHaveEveryCounterPercentileAndMetricsByTypeAndSource() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")),
            ServerSettings.builder())) {
            Map<String, Object> empty = s.stats();
            assertTrue(((Map<?, ?>) empty.get("stats")).containsKey("lastProcessedAt"));
            assertNull(at(empty, "stats.lastProcessedAt"), "null before any event");

            long before = System.currentTimeMillis();
            s.post("/events/batch", batch(
                event("metric", "web-server-1", T0, 1),
                event("metric", "web-server-1", T0 + 1, 2),
                event("log", "web-server-2", T0 + 2, null),
                event("debug", "web-server-1", T0 + 3, 3),
                "{\"type\":\"metric\"}")).assertStatus(200);
            long after = System.currentTimeMillis();

            Map<String, Object> body = s.stats();
            assertEquals(Set.of("stats", "metrics", "bufferSize", "sinks"), body.keySet());
            Map<?, ?> stats = (Map<?, ?>) body.get("stats");
            for (String k : List.of("totalProcessed", "totalFiltered", "avgProcessingTime", "throughput", "lastProcessedAt",
                "totalReceived", "totalRejected", "totalLate", "p50", "p90", "p99", "p999", "max")) {
                assertTrue(stats.containsKey(k), "stats." + k + " in " + stats);
                assertTrue(stats.get(k) instanceof Number, "stats." + k + " is a number: " + stats);
            }
            assertEquals(5L, stats.get("totalReceived"));
            assertEquals(3L, stats.get("totalProcessed"));
            assertEquals(1L, stats.get("totalFiltered"));
            assertEquals(1L, stats.get("totalRejected"));
            assertEquals(0L, stats.get("totalLate"));
            long last = longAt(body, "stats.lastProcessedAt");
            assertTrue(last >= before && last <= after, "lastProcessedAt is server epoch ms: " + last);
            assertTrue(longAt(body, "stats.throughput") >= 0);
            double p50 = ((Number) stats.get("p50")).doubleValue();
            double p99 = ((Number) stats.get("p99")).doubleValue();
            double max = ((Number) stats.get("max")).doubleValue();
            assertTrue(p50 >= 0 && p50 <= p99 && p99 <= max, "percentiles ordered: " + stats);
            assertTrue(((Number) stats.get("avgProcessingTime")).doubleValue() >= 0);
            assertEquals(Map.of("metric:web-server-1", 2L, "log:web-server-2", 1L), body.get("metrics"));
            assertEquals(0L, body.get("bufferSize"));
        }
    }

    @Test
    void lateEventIsAcceptedCountedLateAndNotAggregated() {
        try (TestServer s = TestServer.start()) {
            s.post("/events", event("metric", "a", T0 + 600_000, 1)).assertStatus(200);
            Reply late = s.post("/events", event("metric", "a", T0, 1));
            assertEquals(PROCESSED, late.json(), "a late event is still accepted");

            Map<String, Object> stats = s.stats();
            assertEquals(1L, longAt(stats, "stats.totalLate"));
            assertEquals(2L, longAt(stats, "stats.totalProcessed"));
            long counted = 0;
            for (Object w : (List<?>) s.aggregations().get("aggregations")) {
                assertTrue(longAt(w, "window.end") > T0 + 60_000, "no window of the late event: " + w);
                counted += longAt(w, "count");
            }
            assertEquals(6, counted, "only the on-time event is aggregated, in its six windows");
        }
    }

    // ------------------------------------------------------------------ GET /health

    @Test
    void healthIsHealthyWithUptimeAndMemory() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.get("/health");
            r.assertStatus(200);
            Map<String, Object> body = r.json();
            assertEquals(Set.of("status", "uptime", "memory"), body.keySet());
            assertEquals("healthy", body.get("status"));
            assertTrue(longAt(body, "uptime") >= 0);
            long used = longAt(body, "memory.heapUsed");
            long total = longAt(body, "memory.heapTotal");
            assertTrue(used > 0 && used <= total, body.toString());
        }
    }

    @Test
    void healthIsDegradedButStill200WhenASinkIsFailing() {
        Sink failing = new Sink() {
            @Override
            public String name() {
                return "archive";
            }

            @Override
            public void onEvent(EventView event) {
            }

            @Override
            public SinkStatus status() {
                return new SinkStatus(0, 3, 0, 5, "disk full", 1_700_000_000_000L, true);
            }

            @Override
            public void close() {
            }
        };
        try (TestServer s = TestServer.start(StreamProcessor.builder().addSink(failing), ServerSettings.builder())) {
            Reply r = s.get("/health");
            r.assertStatus(200);
            Map<String, Object> body = r.json();
            assertEquals("degraded", body.get("status"));
            assertTrue(((String) body.get("reason")).contains("archive"), "names the sink: " + body);
            assertTrue(((String) body.get("reason")).contains("disk full"), "says why: " + body);
            assertTrue(body.get("memory") instanceof Map, body.toString());
            Map<String, Object> stats = s.stats();
            assertEquals(5L, longAt(stats, "bufferSize"));
            assertEquals(Map.of("status", "failing", "written", 0L, "failed", 3L, "dropped", 0L, "buffered", 5L,
                "lastError", "disk full", "lastErrorAt", 1_700_000_000_000L), at(stats, "sinks.archive"));
        }
    }

    // ------------------------------------------------------------------ everything else

    @Test
    void unknownPathIs404Json() {
        try (TestServer s = TestServer.start()) {
            s.get("/nope").assertError(404);
            s.get("/index.html").assertError(404);
            s.post("/events/", event("metric", "a", T0, 1)).assertError(404);
            s.post("/event", event("metric", "a", T0, 1)).assertError(404);
            s.get("/stats/extra").assertError(404);
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
        }
    }

    @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
    @CsvSource({
        "GET, /events, POST",
        "PUT, /events, POST",
        "DELETE, /events/batch, POST",
        "GET, /events/batch, POST",
        "POST, /stats, 'GET, HEAD'",
        "DELETE, /aggregations, 'GET, HEAD'",
        "POST, /health, 'GET, HEAD'",
        "PATCH, /stats, 'GET, HEAD'",
    })
    void wrongMethodIs405WithAllow(String method, String path, String allow) {
        try (TestServer s = TestServer.start()) {
            byte[] body = method.equals("GET") || method.equals("DELETE") ? null
                : event("metric", "a", T0, 1).getBytes(StandardCharsets.UTF_8);
            Reply r = s.send(method, path, body, body == null ? null : "application/json");
            r.assertError(405);
            assertEquals(allow, r.header("allow"));
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stats", "/aggregations", "/health"})
    void headIsAnsweredWhereverGetIsWithTheHeadersAndNoBody(String path) throws Exception {
        try (TestServer s = TestServer.start(); RawHttp c = new RawHttp(s.port())) {
            s.post("/events", event("metric", "a", T0, 1)).assertStatus(200);
            c.write("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.readHead();
            assertEquals(200, head.status());
            assertEquals("application/json", head.header("content-type"));
            assertTrue(Integer.parseInt(head.header("content-length")) > 2, "the length a GET's body would have");
            RawHttp.Response next = c.read();
            assertEquals(200, next.status(), "the next answer on the connection starts right after the HEAD's headers");
            assertTrue(next.body().startsWith("{\"status\":"), next.body());
        }
    }

    @Test
    void queryStringDoesNotChangeTheRoute() {
        try (TestServer s = TestServer.start()) {
            s.post("/events?source=test", event("metric", "a", T0, 1)).assertStatus(200);
            s.get("/stats?pretty=1").assertStatus(200);
            s.get("/aggregations?limit=5").assertStatus(200);
        }
    }

    // ------------------------------------------------------------------ read-your-writes

    @Test
    void postThenReadSeesItsOwnEventsEveryTime() {
        try (TestServer s = TestServer.start()) {
            long expected = 0;
            for (int i = 0; i < 150; i++) {
                if (i % 3 == 0) {
                    s.post("/events/batch", batch(events(4, "metric", "src-" + (i % 7), T0 + i, i))).assertStatus(200);
                    expected += 4;
                } else {
                    s.post("/events", event("metric", "src-" + (i % 7), T0 + i, i)).assertStatus(200);
                    expected += 1;
                }
                assertEquals(expected, longAt(s.stats(), "stats.totalProcessed"), "stats after post #" + i);
                Object first = ((List<?>) s.aggregations().get("aggregations")).get(0);
                assertEquals(expected, longAt(first, "count"), "aggregations after post #" + i);
            }
        }
    }

    @Test
    void everyResponseIsJsonWithContentType() {
        // TestServer checks Content-Type and a JSON object body on every response; this walks each route once.
        try (TestServer s = TestServer.start()) {
            List<Reply> replies = List.of(
                s.post("/events", event("metric", "a", T0, 1)),
                s.post("/events", "{"),
                s.post("/events/batch", "[]"),
                s.get("/aggregations"),
                s.get("/stats"),
                s.get("/health"),
                s.get("/missing"),
                s.send("DELETE", "/stats", null, null),
                s.send("POST", "/events", new byte[] {'x'}, "text/plain"));
            for (Reply r : replies) {
                assertNotNull(r.header("content-length"), "framed by Content-Length");
                assertEquals("application/json", r.header("content-type"));
            }
        }
    }
}
