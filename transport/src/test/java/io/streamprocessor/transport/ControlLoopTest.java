package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every connection starts on the control loop and moves to an ingestion loop with its first
 * request that carries events; connections that only read stay. So a health check on a fresh
 * connection is answered however busy, or stuck, the ingestion loops are, and a connection that
 * moves loses nothing and keeps its answers in order.
 */
class ControlLoopTest {
    @Test
    void aHealthCheckOnAFreshConnectionIsAnsweredWhileTheOnlyIngestionLoopIsStuck() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Inline: the I/O thread that reads an event runs the stages, so an aggregation that waits holds that thread.
        try (TestServer s = TestServer.start(
                StreamProcessor.builder().topology(Topology.INLINE)
                    .addAggregation(new HoldingCount("held", HoldingCount.Where.FIRST_EVENT, inside, release)),
                ServerSettings.builder().eventLoops(1))) {
            CompletableFuture<TestServer.Reply> held = s.sendAsync("POST", "/events",
                EventText.event("click", "web", EventText.T0, 1));
            assertTrue(inside.await(10, TimeUnit.SECONDS), "the event never reached the aggregation");
            try {
                for (int i = 0; i < 3; i++) {
                    try (RawHttp probe = new RawHttp(s.port())) {
                        RawHttp.Response r = probe.write(RawHttp.request("GET", "/health", null)).read();
                        assertEquals(200, r.status(), r.body());
                        assertTrue(r.body().contains("\"status\""), r.body());
                    }
                }
            } finally {
                release.countDown();
            }
            held.get(20, TimeUnit.SECONDS).assertStatus(200);
            assertEquals(1L, totalProcessed(s));
        }
    }

    @Test
    void aNewClientIsShedAtOnceWhileTheIngestionLoopIsStuckWithAFullPipeline() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Inline, one I/O thread: a batch of 1,000 fills the small ring past 90%, and its thread waits in the aggregation.
        try (TestServer s = TestServer.start(
                StreamProcessor.builder().topology(Topology.INLINE).ringSize(1024)
                    .addAggregation(new HoldingCount("held", HoldingCount.Where.FIRST_EVENT, inside, release)),
                ServerSettings.builder().eventLoops(1).maxBatchEvents(1000))) {
            CompletableFuture<TestServer.Reply> held = s.sendAsync("POST", "/events/batch",
                EventText.batch(EventText.events(1000, "click", "web", EventText.T0, 1)));
            assertTrue(inside.await(10, TimeUnit.SECONDS), "the batch never reached the aggregation");
            try {
                // Moved to the stuck thread first, it would wait there; the control loop turns it away itself.
                try (RawHttp c = new RawHttp(s.port())) {
                    RawHttp.Response r = c.write(RawHttp.request("POST", "/events",
                        EventText.event("view", "app", EventText.T0, 2), "Connection: close")).read();
                    assertEquals(503, r.status(), r.body());
                    assertTrue(r.body().contains("over 90% full"), r.body());
                }
            } finally {
                release.countDown();
            }
            held.get(20, TimeUnit.SECONDS).assertStatus(200);
            assertEquals(1000L, totalProcessed(s), "nothing of the shed event was taken");
        }
    }

    @Test
    void aConnectionMovedAtItsFirstEventsKeepsWhatFollowedInTheSameWriteInOrder() throws Exception {
        try (TestServer s = TestServer.start(); RawHttp c = new RawHttp(s.port())) {
            String batch = EventText.batch(EventText.events(3, "click", "web", EventText.T0, 1));
            c.write(RawHttp.request("GET", "/health", null)
                + RawHttp.request("POST", "/events/batch", batch)
                + RawHttp.request("GET", "/stats", null)
                + RawHttp.request("POST", "/events", EventText.event("view", "app", EventText.T0 + 1, 2))
                + RawHttp.request("GET", "/aggregations", null));
            assertEquals(200, c.read().status());
            RawHttp.Response posted = c.read();
            assertEquals(200, posted.status(), posted.body());
            assertTrue(posted.body().contains("\"processed\":3"), posted.body());
            RawHttp.Response stats = c.read();
            assertEquals(200, stats.status(), stats.body());
            // It reads its connection's write before it; the event pipelined after it may or may not be in it yet.
            long seen = ((Number) ((Map<?, ?>) Json.object(stats.body()).get("stats")).get("totalProcessed")).longValue();
            assertTrue(seen == 3 || seen == 4, stats.body());
            assertEquals(200, c.read().status());
            RawHttp.Response windows = c.read();
            assertEquals(200, windows.status(), windows.body());
            assertTrue(windows.body().contains("\"count\":4"), windows.body());
        }
    }

    @Test
    void aBodyThatArrivesAfterTheMoveIsReadWhole() throws Exception {
        try (TestServer s = TestServer.start(); RawHttp c = new RawHttp(s.port())) {
            byte[] request = RawHttp.request("POST", "/events/batch",
                EventText.batch(EventText.events(50, "click", "web", EventText.T0, 1))).getBytes(StandardCharsets.UTF_8);
            int head = indexOf(request, "\r\n\r\n") + 4;
            // The head alone starts the move; the body follows in writes of its own, while or after it happens.
            c.write(Arrays.copyOfRange(request, 0, head));
            for (int at = head; at < request.length; at += 97) {
                c.write(Arrays.copyOfRange(request, at, Math.min(request.length, at + 97)));
            }
            RawHttp.Response r = c.read();
            assertEquals(200, r.status(), r.body());
            assertTrue(r.body().contains("\"processed\":50"), r.body());
            assertEquals(50L, totalProcessed(s));
        }
    }

    private static long totalProcessed(TestServer s) {
        Map<?, ?> stats = (Map<?, ?>) s.get("/stats").json().get("stats");
        return ((Number) stats.get("totalProcessed")).longValue();
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= bytes.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (bytes[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
