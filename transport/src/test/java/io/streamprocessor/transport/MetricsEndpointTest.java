package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.ServerSettings;
import io.streamprocessor.transport.metrics.Exposition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} against a real server: the exposition parses strictly as the Prometheus text
 * format (or OpenMetrics when asked), and after known traffic the documented metrics say exactly
 * what happened.
 */
class MetricsEndpointTest {
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @Test
    void afterKnownTrafficTheCountsSayExactlyWhatHappened() throws Exception {
        CountingSink sink = CountingSink.counting();
        try (TestServer s = TestServer.start(StreamProcessor.builder().addFilter(e -> !e.type().equals("debug")).addSink(sink),
            ServerSettings.builder())) {
            Exposition before = Exposition.parseText(scrape(s, null).body());
            long now = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                assertEquals(200, s.post("/events", event("metric", "web-" + i, now)).status());
            }
            assertEquals(200, s.post("/events", event("debug", "web-1", now)).status()); // filtered
            assertEquals(400, s.post("/events", "{\"type\":\"metric\"}").status()); // no source: rejected
            // three valid (one filtered), one invalid
            assertEquals(200, s.post("/events/batch", "[" + event("metric", "web-1", now) + "," + event("debug", "web-2", now)
                + "," + event("metric", "web-2", now) + ",{\"source\":\"x\"}]").status());
            assertEquals(200, s.post("/events", event("metric", "web-9", now - 3_600_000)).status()); // late: an hour back
            assertEquals(400, s.post("/events", "{not json").status()); // holds no event
            assertEquals(404, s.get("/nowhere").status());
            assertEquals(405, s.send("DELETE", "/events", null, null).status());

            HttpResponse<String> r = scrape(s, null);
            assertEquals(200, r.statusCode());
            assertEquals(TEXT, r.headers().firstValue("content-type").orElseThrow());
            Exposition after = Exposition.parseText(r.body());

            // 5 + 1 + 1 + 4 + 1 events; the body that is not JSON holds none
            assertEquals(12, delta(before, after, "stream_processor_events_received_total"));
            assertEquals(8, delta(before, after, "stream_processor_events_total", "outcome", "processed"));
            assertEquals(2, delta(before, after, "stream_processor_events_total", "outcome", "filtered"));
            assertEquals(2, delta(before, after, "stream_processor_events_total", "outcome", "rejected"));
            assertEquals(1, delta(before, after, "stream_processor_events_total", "outcome", "late"));
            // every event's latency is recorded once, whatever became of it
            assertEquals(12, delta(before, after, "stream_processor_processing_latency_seconds_count"));
            assertTrue(after.value("stream_processor_processing_latency_seconds_sum") > 0);
            assertEquals("histogram", after.families.get("stream_processor_processing_latency_seconds").type);

            assertEquals(7, after.value("stream_processor_http_requests_total", "route", "/events", "status", "200"));
            assertEquals(2, after.value("stream_processor_http_requests_total", "route", "/events", "status", "400"));
            assertEquals(1, after.value("stream_processor_http_requests_total", "route", "/events", "status", "405"));
            assertEquals(1, after.value("stream_processor_http_requests_total", "route", "/events/batch", "status", "200"));
            assertEquals(1, after.value("stream_processor_http_requests_total", "route", "other", "status", "404"));
            assertEquals(1, after.value("stream_processor_http_requests_total", "route", "/metrics", "status", "200"),
                "the first scrape, counted once answered");

            assertEquals(8, after.value("stream_processor_sink_events_written_total", "sink", "count"));
            assertEquals(sink.count(), after.value("stream_processor_sink_events_written_total", "sink", "count"));
            assertEquals(0, after.value("stream_processor_sink_write_failures_total", "sink", "count"));
            assertEquals(0, after.value("stream_processor_sink_events_dropped_total", "sink", "count"));
            assertEquals(0, after.value("stream_processor_sink_events_buffered", "sink", "count"));
            assertEquals(0, after.value("stream_processor_sink_failing", "sink", "count"));

            assertEquals(s.processor.ringCapacity(), after.value("stream_processor_ring_capacity_slots"));
            assertEquals(0, after.value("stream_processor_ring_used_slots"), "nothing in flight once every answer is in");
            assertEquals(((Number) s.aggregations().get("count")).doubleValue(), after.value("stream_processor_windows"));
            assertEquals(2, after.value("stream_processor_type_source_events_total", "type", "metric", "source", "web-1"));
            assertEquals(Map.of("metric:web-1", 2L), Map.of("metric:web-1",
                ((Number) ((Map<?, ?>) s.stats().get("metrics")).get("metric:web-1")).longValue()), "as /stats says");

            assertTrue(after.value("jvm_memory_used_bytes", "area", "heap") > 0, "the JVM's own metrics are there");
            assertTrue(after.value("jvm_threads_current") > 0);
            for (String name : after.families.keySet()) {
                assertTrue(name.startsWith("stream_processor_") || name.startsWith("jvm_") || name.startsWith("process_"), name);
            }
        }
    }

    @Test
    void openMetricsWhenTheAcceptHeaderAsksForIt() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertEquals(200, s.post("/events", event("metric", "web-1", System.currentTimeMillis())).status());
            HttpResponse<String> r = scrape(s, "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;q=0.5");
            assertEquals(200, r.statusCode());
            assertEquals(OPEN_METRICS, r.headers().firstValue("content-type").orElseThrow());
            Exposition om = Exposition.parseOpenMetrics(r.body());
            assertEquals("counter", om.families.get("stream_processor_events").type);
            assertEquals(1, om.value("stream_processor_events_total", "outcome", "processed"));
            assertEquals("seconds", om.families.get("stream_processor_processing_latency_seconds").unit);
            assertEquals(1, om.value("stream_processor_processing_latency_seconds_bucket", "le", "+Inf"));
            assertTrue(r.body().endsWith("# EOF\n"));
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        try (TestServer s = TestServer.start()) {
            HttpResponse<String> get = scrape(s, null);
            HttpResponse<String> head = TestServer.CLIENT.send(HttpRequest.newBuilder(s.base.resolve("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals(TEXT, head.headers().firstValue("content-type").orElseThrow());
            assertEquals("", head.body());
            long length = Long.parseLong(head.headers().firstValue("content-length").orElseThrow());
            assertTrue(Math.abs(length - get.body().length()) < get.body().length() / 10,
                "the length of what GET would send: " + length + " against " + get.body().length());
            assertEquals(405, s.post("/metrics", "{}").status());
        }
    }

    @Test
    void tenThousandTypeSourcePairsStayBoundedAsDocumented() throws Exception {
        try (TestServer s = TestServer.start()) {
            long now = System.currentTimeMillis();
            int pairs = 10_050; // past cardinality.max-metric-keys too, 10,000 by default
            for (int from = 0; from < pairs; from += 10_000) {
                StringBuilder batch = new StringBuilder("[");
                for (int i = from; i < Math.min(pairs, from + 10_000); i++) {
                    batch.append(i == from ? "" : ",").append(event("t" + (i % 50), "source-" + i, now));
                }
                assertEquals(200, s.post("/events/batch", batch.append(']').toString()).status());
            }
            assertEquals(10_001, ((Map<?, ?>) s.stats().get("metrics")).size(), "/stats holds 10,000 pairs and _other");

            Exposition e = Exposition.parseText(scrape(s, null).body());
            List<Exposition.Sample> series = e.samples("stream_processor_type_source_events_total");
            assertEquals(1_001, series.size(), "1,000 pairs and _other");
            assertEquals(pairs, series.stream().mapToDouble(Exposition.Sample::value).sum(), "every event counted once");
            assertEquals(pairs - 1_000, e.value("stream_processor_type_source_events_total", "type", "_other", "source", "_other"));
            // The pairs first seen get the series: types in the order they came (t0, t1, ...), then sources; the
            // engine holds 200 pairs of each type (the 50 pairs past its bound are its own _other), so t0 to t4.
            assertEquals(1, e.value("stream_processor_type_source_events_total", "type", "t0", "source", "source-0"));
            assertEquals(1, e.value("stream_processor_type_source_events_total", "type", "t4", "source", "source-9954"));
            assertTrue(series.stream().noneMatch(x -> x.labels().get("type").equals("t5")), "t5 is under _other");

            // Later scrapes keep the same series: a pair with one counts on it, any other pair under _other.
            assertEquals(200, s.post("/events", event("t0", "source-0", now)).status());
            assertEquals(200, s.post("/events", event("t49", "source-49", now)).status());
            assertEquals(200, s.post("/events", event("new", "pair", now)).status());
            Exposition again = Exposition.parseText(scrape(s, null).body());
            assertEquals(1_001, again.samples("stream_processor_type_source_events_total").size());
            assertEquals(2, again.value("stream_processor_type_source_events_total", "type", "t0", "source", "source-0"));
            assertEquals(pairs - 1_000 + 2, again.value("stream_processor_type_source_events_total", "type", "_other",
                "source", "_other"));
        }
    }

    static HttpResponse<String> scrape(TestServer s, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.base.resolve("/metrics")).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return TestServer.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double delta(Exposition before, Exposition after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static String event(String type, String source, long timestamp) {
        return "{\"type\":\"" + type + "\",\"source\":\"" + source + "\",\"timestamp\":" + timestamp + ",\"data\":{\"value\":1}}";
    }
}
