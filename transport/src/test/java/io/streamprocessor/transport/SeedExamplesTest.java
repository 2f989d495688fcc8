package io.streamprocessor.transport;

import io.streamprocessor.transport.TestServer.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.streamprocessor.transport.Json.at;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example of the seed README, sent byte for byte as written there, gets the documented response. */
class SeedExamplesTest {
    /** "POST /events", Request (the code block, with its final newline). */
    static final String SINGLE_EVENT = """
        {
          "id": "evt_123",
          "type": "metric",
          "source": "web-server-1",
          "timestamp": 1699380000000,
          "data": {
            "value": 95.5,
            "unit": "ms",
            "endpoint": "/api/users"
          }
        }
        """;

    /** "POST /events/batch", Request (the code block, with its final newline). */
    static final String BATCH = """
        [
          {
            "id": "evt_123",
            "type": "metric",
            "source": "web-server-1",
            "timestamp": 1699380000000,
            "data": { "value": 95.5 }
          },
          {
            "id": "evt_124",
            "type": "log",
            "source": "web-server-2",
            "timestamp": 1699380001000,
            "data": { "level": "info", "message": "Request processed" }
          }
        ]
        """;

    /** "Usage Examples": the body of the single-event curl, everything between its quotes. */
    static final String CURL_SINGLE = """
        {
            "id": "evt_001",
            "type": "metric",
            "source": "api-server",
            "timestamp": 1699380000000,
            "data": {
              "value": 125,
              "metric": "response_time_ms"
            }
          }""";

    /** "Usage Examples": the body of the batch curl, everything between its quotes. */
    static final String CURL_BATCH = """
        [
            {
              "id": "evt_002",
              "type": "metric",
              "source": "api-server",
              "timestamp": 1699380001000,
              "data": { "value": 98 }
            },
            {
              "id": "evt_003",
              "type": "log",
              "source": "web-server",
              "timestamp": 1699380002000,
              "data": { "level": "error", "message": "Connection timeout" }
            }
          ]""";

    private static final Map<String, Object> PROCESSED = Map.of("success", true, "message", "Event processed");

    @Test
    void singleEventExampleIsProcessed() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events", SINGLE_EVENT);
            r.assertStatus(200);
            assertEquals(PROCESSED, r.json());
        }
    }

    @Test
    void batchExampleAnswersTotalTwoProcessedTwo() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events/batch", BATCH);
            r.assertStatus(200);
            assertEquals(Map.of("total", 2L, "processed", 2L, "filtered", 0L), r.json());
        }
    }

    @Test
    void curlSingleEventIsProcessed() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events", CURL_SINGLE);
            r.assertStatus(200);
            assertEquals(PROCESSED, r.json());
        }
    }

    @Test
    void curlBatchIsProcessed() {
        try (TestServer s = TestServer.start()) {
            Reply r = s.post("/events/batch", CURL_BATCH);
            r.assertStatus(200);
            assertEquals(Map.of("total", 2L, "processed", 2L, "filtered", 0L), r.json());
        }
    }

    @Test
    void curlWalkthroughThenQueriesAnswerTheDocumentedShapes() {
        try (TestServer s = TestServer.start()) {
            s.post("/events", SINGLE_EVENT).assertStatus(200);
            s.post("/events/batch", BATCH).assertStatus(200);
            s.post("/events", CURL_SINGLE).assertStatus(200);
            s.post("/events/batch", CURL_BATCH).assertStatus(200);

            // curl http://localhost:8000/aggregations
            Map<String, Object> aggs = s.aggregations();
            List<?> windows = (List<?>) aggs.get("aggregations");
            assertEquals(6L, aggs.get("count"), "every event lies in [T0, T0+10 s): six 60 s windows");
            assertEquals(6, windows.size());
            for (Object w : windows) {
                Map<?, ?> m = (Map<?, ?>) w;
                assertTrue(m.keySet().containsAll(Set.of("window", "count", "sum", "avg", "min", "max",
                    "distinctSources", "eventsByType")), m.keySet().toString());
                assertEquals(6L, m.get("count"));
                assertEquals(95.5 + 95.5 + 125 + 98, ((Number) m.get("sum")).doubleValue(), 1e-9);
                assertEquals((95.5 + 95.5 + 125 + 98) / 4, ((Number) m.get("avg")).doubleValue(), 1e-9);
                assertEquals(95.5, ((Number) m.get("min")).doubleValue());
                assertEquals(125L, m.get("max"));
                assertEquals(4L, m.get("distinctSources"));
                assertEquals(Map.of("metric", 4L, "log", 2L), m.get("eventsByType"));
                assertEquals(longAt(w, "window.start") + 60_000, longAt(w, "window.end"));
            }
            assertEquals(1_699_380_000_000L, longAt(windows.get(5), "window.start"));

            // curl http://localhost:8000/stats
            Map<String, Object> stats = s.stats();
            assertTrue(((Map<?, ?>) stats.get("stats")).keySet().containsAll(Set.of("totalProcessed", "totalFiltered",
                "avgProcessingTime", "throughput", "lastProcessedAt")));
            assertEquals(6L, longAt(stats, "stats.totalProcessed"));
            assertEquals(0L, longAt(stats, "stats.totalFiltered"));
            assertEquals(Map.of("metric:web-server-1", 2L, "log:web-server-2", 1L, "metric:api-server", 2L,
                "log:web-server", 1L), at(stats, "metrics"));
            assertEquals(0L, stats.get("bufferSize"));
        }
    }

    @Test
    void healthExampleShape() {
        try (TestServer s = TestServer.start()) {
            Map<String, Object> body = s.get("/health").json();
            assertEquals("healthy", body.get("status"));
            assertTrue(body.get("uptime") instanceof Long);
            assertTrue(at(body, "memory.heapUsed") instanceof Long);
            assertTrue(at(body, "memory.heapTotal") instanceof Long);
        }
    }
}
