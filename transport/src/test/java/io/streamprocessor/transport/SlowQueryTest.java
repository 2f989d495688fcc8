package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.ServerSettings;
import io.streamprocessor.transport.metrics.Exposition;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /stats} and {@code /metrics} are answered on the event loop when they can be had at
 * once; a query that holds the windows for long must not turn that into a loop that answers
 * nobody. A custom aggregation that waits inside its {@code result} (which runs while the windows
 * are held) stands in for a slow query.
 */
class SlowQueryTest {
    @Test
    void aQueryHoldingTheWindowsHoldsUpNeitherHealthChecksNorTheStatsThatFollowIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // One I/O thread, and the control loop: whichever serves them, the health check shares it with the stats request that has to wait.
        try (TestServer s = TestServer.start(
                StreamProcessor.builder().addAggregation(new HoldingCount("slow", HoldingCount.Where.RESULT, inside, release)),
                ServerSettings.builder().eventLoops(1))) {
            s.post("/events/batch", EventText.batch(EventText.events(3, "click", "web", EventText.T0, 1))).assertStatus(200);

            CompletableFuture<TestServer.Reply> aggregations = s.sendAsync("GET", "/aggregations", null);
            assertTrue(inside.await(10, TimeUnit.SECONDS), "the aggregation query never reached the windows");
            CompletableFuture<TestServer.Reply> stats = s.sendAsync("GET", "/stats", null);
            CompletableFuture<HttpResponse<String>> metrics = TestServer.CLIENT.sendAsync(
                HttpRequest.newBuilder(s.base.resolve("/metrics")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

            // Answered while the query holds the windows and /stats and /metrics wait their turn. The requests race
            // to the server, so health is asked repeatedly: a loop stuck on /stats would leave one of them unanswered.
            for (int i = 0; i < 20; i++) {
                s.get("/health").assertStatus(200);
            }

            release.countDown();
            TestServer.Reply windows = aggregations.get(20, TimeUnit.SECONDS);
            windows.assertStatus(200);
            assertTrue(windows.body().contains("\"slow\":3"), windows.body());
            TestServer.Reply st = stats.get(20, TimeUnit.SECONDS);
            st.assertStatus(200);
            assertEquals(3L, ((Number) ((java.util.Map<?, ?>) st.json().get("stats")).get("totalProcessed")).longValue(), st.body());
            HttpResponse<String> m = metrics.get(20, TimeUnit.SECONDS);
            assertEquals(200, m.statusCode());
            assertEquals(3, Exposition.parseText(m.body()).value("stream_processor_events_total", "outcome", "processed"));
        }
    }
}
