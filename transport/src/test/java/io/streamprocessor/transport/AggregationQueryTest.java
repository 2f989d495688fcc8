package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.Json.at;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /aggregations} query parameters: from, to, limit, groupBy, top, and a 400 naming each bad one. */
class AggregationQueryTest {
    /** One event at T0 + 25 s: in the six default windows starting T0 - 30 s to T0 + 20 s. */
    private static final String ONE = event("metric", "web-1", T0 + 25_000, 7);

    @Test
    void fromAndToSelectWindowsByStartAndLimitKeepsTheNewest() {
        try (TestServer s = TestServer.start()) {
            s.post("/events", ONE).assertStatus(200);
            assertEquals(List.of(T0 - 10_000, T0), starts(s, "/aggregations?from=" + (T0 - 10_000) + "&to=" + (T0 + 10_000)),
                "windows whose start is in [from, to)");
            assertEquals(List.of(T0 - 30_000, T0 - 20_000), starts(s, "/aggregations?to=" + (T0 - 10_000)));
            assertEquals(List.of(T0 + 10_000, T0 + 20_000), starts(s, "/aggregations?from=" + (T0 + 5_000)),
                "a start between windows takes the next");
            assertEquals(List.of(), starts(s, "/aggregations?from=" + T0 + "&to=" + T0), "an empty range");
            assertEquals(List.of(T0 + 10_000, T0 + 20_000), starts(s, "/aggregations?limit=2"),
                "the newest two, still by start ascending");
            assertEquals(List.of(T0 - 20_000, T0 - 10_000), starts(s, "/aggregations?to=" + T0 + "&limit=2"),
                "the newest two of the range");
            assertEquals(6, starts(s, "/aggregations?limit=99999999999999999999999").size(), "a limit past all is all");
        }
    }

    @Test
    void groupByTypeGivesEachTypesAggregatesLargestFirstAndTheRestUnderOther() {
        try (TestServer s = TestServer.start(StreamProcessor.builder()
            .window(Duration.ofSeconds(60), Duration.ofSeconds(60)), ServerSettings.builder())) {
            // grouping starts with the first query that asks for it
            get(s, "/aggregations?groupBy=type");
            s.post("/events/batch", batch(
                event("metric", "a", T0 + 1, 10),
                event("metric", "b", T0 + 2, 20),
                event("metric", "a", T0 + 3, 30),
                event("trace", "c", T0 + 4, 5),
                event("log", "a", T0 + 5, null))).assertStatus(200);

            Object w = window(get(s, "/aggregations?groupBy=type"));
            @SuppressWarnings("unchecked")
            Map<String, Object> groups = (Map<String, Object>) at(w, "groups");
            assertEquals(List.of("metric", "log", "trace"), List.copyOf(groups.keySet()), "largest first, ties by name");
            assertEquals(3L, longAt(w, "groups.metric.count"));
            assertEquals(3L, longAt(w, "groups.metric.valueCount"));
            assertEquals(60L, at(w, "groups.metric.sum"));
            assertEquals(20L, at(w, "groups.metric.avg"));
            assertEquals(10L, at(w, "groups.metric.min"));
            assertEquals(30L, at(w, "groups.metric.max"));
            assertEquals(20.0, ((Number) at(w, "groups.metric.p50")).doubleValue(), 0.2, "p50 within 1%");
            assertEquals(30L, at(w, "groups.metric.p99"), "never above max");
            assertEquals(1L, longAt(w, "groups.log.count"));
            assertEquals(0L, at(w, "groups.log.sum"));
            for (String k : List.of("avg", "min", "max", "p50", "p95", "p99")) {
                assertNull(at(w, "groups.log." + k), k + " is null for a group without values");
            }
            assertFalse(((Map<?, ?>) w).containsKey("ungrouped"), "every event came after grouping began");

            Object top1 = window(get(s, "/aggregations?groupBy=type&top=1"));
            assertEquals(List.of("metric", "_other"), List.copyOf(((Map<?, ?>) at(top1, "groups")).keySet()));
            assertEquals(2L, longAt(top1, "groups._other.count"));
            assertEquals(1L, longAt(top1, "groups._other.valueCount"));
            assertEquals(5L, at(top1, "groups._other.sum"));
        }
    }

    @Test
    void groupBySourceAndEventsFromBeforeGroupingBeganCountedAsUngrouped() {
        try (TestServer s = TestServer.start(StreamProcessor.builder()
            .window(Duration.ofSeconds(60), Duration.ofSeconds(60)), ServerSettings.builder())) {
            s.post("/events", event("metric", "a", T0 + 1, 1)).assertStatus(200);
            Object before = window(get(s, "/aggregations?groupBy=source"));
            assertEquals(Map.of(), at(before, "groups"));
            assertEquals(1L, longAt(before, "ungrouped"), "aggregated before any query grouped by source");

            s.post("/events/batch", batch(event("metric", "a", T0 + 2, 4), event("log", "b", T0 + 3, 6),
                event("log", "a", T0 + 4, 8))).assertStatus(200);
            Object w = window(get(s, "/aggregations?groupBy=source&top=5"));
            assertEquals(List.of("a", "b"), List.copyOf(((Map<?, ?>) at(w, "groups")).keySet()));
            assertEquals(2L, longAt(w, "groups.a.count"));
            assertEquals(12L, at(w, "groups.a.sum"));
            assertEquals(1L, longAt(w, "groups.b.count"));
            assertEquals(1L, longAt(w, "ungrouped"));
            assertEquals(4L, longAt(w, "count"), "the window's own figures take every event");
        }
    }

    /** The same traffic gives the same bytes without parameters, whether or not a query ever grouped or filtered. */
    @Test
    void theDefaultResponseIsUnchangedByParametersAndByGrouping() {
        List<String> traffic = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            traffic.add(event(i % 3 == 0 ? "log" : "metric", "host-" + (i % 7), T0 + 997L * i, i % 5 == 0 ? null : i * 1.5));
        }
        try (TestServer plain = TestServer.start(); TestServer grouped = TestServer.start()) {
            get(grouped, "/aggregations?groupBy=type");
            get(grouped, "/aggregations?groupBy=source&top=2");
            plain.post("/events/batch", batch(traffic)).assertStatus(200);
            grouped.post("/events/batch", batch(traffic)).assertStatus(200);
            String expected = plain.get("/aggregations").body();
            assertTrue(expected.contains("\"count\":"), expected);
            assertEquals(expected, grouped.get("/aggregations").body(), "counting per group changes nothing else");
            assertEquals(expected, plain.get("/aggregations?from=0&to=" + Long.MAX_VALUE + "&limit=1000").body(),
                "parameters that select everything");
            get(plain, "/aggregations?groupBy=type");
            assertEquals(expected, plain.get("/aggregations").body(), "a grouped query leaves the default response alone");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "from=abc | from",
        "from=-1 | from",
        "from=1.5 | from",
        "from= | from",
        "from=99999999999999999999 | from",
        "to=x | to",
        "from=10&to=5 | from",
        "limit=0 | limit",
        "limit=-3 | limit",
        "limit=two | limit",
        "groupBy=type&top=0 | top",
        "groupBy=type&top=+3 | top",
        "groupBy=host | groupBy",
        "groupBy=Type | groupBy",
        "top=3 | top",
        "foo=1 | foo",
        "groupby=type | groupby",
        "limit=1&limit=2 | limit",
        "groupBy=type&groupBy=source | groupBy",
    })
    void anInvalidParameterIs400NamingIt(String query, String name) {
        try (TestServer s = TestServer.start()) {
            s.post("/events", ONE).assertStatus(200);
            String error = s.get("/aggregations?" + query).assertError(400);
            assertTrue(error.startsWith(name + ":") || error.contains("'" + name + "'"), () -> query + ": " + error);
            TestServer.assertSpeaksOfTheRequest(query, error);
            assertEquals(6L, longAt(s.aggregations(), "count"), "the connection and the windows are unharmed");
        }
    }

    @Test
    void aQueryStringThatCannotBeDecodedIs400() throws Exception {
        // the JDK client refuses to send a malformed escape, so this goes on a bare socket
        try (TestServer s = TestServer.start(); RawHttp c = new RawHttp(s.port())) {
            c.write(RawHttp.request("GET", "/aggregations?from=%zz", null));
            RawHttp.Response r = c.read().checked("GET /aggregations?from=%zz");
            assertEquals(400, r.status(), r.body());
            String error = (String) r.json().get("error");
            assertTrue(error.startsWith("query string:"), error);
            TestServer.assertSpeaksOfTheRequest("%zz", error);
        }
    }

    private static Map<String, Object> get(TestServer s, String path) {
        Reply r = s.get(path);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static Object window(Map<String, Object> body) {
        assertEquals(1L, body.get("count"), body.toString());
        return ((List<?>) body.get("aggregations")).get(0);
    }

    private static List<Long> starts(TestServer s, String path) {
        Map<String, Object> body = get(s, path);
        List<Long> starts = new ArrayList<>();
        for (Object w : (List<?>) body.get("aggregations")) {
            starts.add(longAt(w, "window.start"));
        }
        assertEquals((long) starts.size(), body.get("count"), "count is the number returned");
        return starts;
    }
}
