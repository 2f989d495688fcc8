package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many clients at once: nothing lost, nothing counted twice; a full pipeline answers 503 at once. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int SINGLES_PER_THREAD = 60;
    private static final int BATCHES_PER_THREAD = 20;
    private static final int BATCH_SIZE = 25;

    @Test
    void concurrentClientsLoseNothingAndCountNothingTwice() throws Exception {
        CountingSink counting = CountingSink.counting();
        try (TestServer s = TestServer.start(StreamProcessor.builder()
                .window(Duration.ofSeconds(10), Duration.ofSeconds(10))
                .retention(Duration.ofDays(1))
                .addFilter(e -> !e.type().equals("debug"))
                .addSink(counting),
            ServerSettings.builder())) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<long[]>> results = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    return client(s, thread);
                }));
            }
            go.countDown();
            long processed = 0;
            long filtered = 0;
            long rejected = 0;
            long valueSum = 0;
            for (Future<long[]> f : results) {
                long[] r = f.get(60, TimeUnit.SECONDS);
                processed += r[0];
                filtered += r[1];
                rejected += r[2];
                valueSum += r[3];
            }
            pool.shutdown();

            long total = THREADS * (SINGLES_PER_THREAD + (long) BATCHES_PER_THREAD * BATCH_SIZE);
            assertEquals(total, processed + filtered + rejected, "every event answered once");
            Map<String, Object> stats = s.stats();
            assertEquals(total, longAt(stats, "stats.totalReceived"));
            assertEquals(processed, longAt(stats, "stats.totalProcessed"));
            assertEquals(filtered, longAt(stats, "stats.totalFiltered"));
            assertEquals(rejected, longAt(stats, "stats.totalRejected"));
            assertEquals(0L, longAt(stats, "stats.totalLate"));
            long byMetric = 0;
            for (Object n : ((Map<?, ?>) stats.get("metrics")).values()) {
                byMetric += (Long) n;
            }
            assertEquals(processed, byMetric, "metrics add up to totalProcessed");
            assertEquals(processed, counting.count(), "every processed event reached the sink once");

            long counted = 0;
            long summed = 0;
            for (Object w : (List<?>) s.aggregations().get("aggregations")) {
                counted += longAt(w, "count");
                summed += longAt(w, "sum");
            }
            assertEquals(processed, counted, "tumbling windows: counts add up to the processed events");
            assertEquals(valueSum, summed);
        }
    }

    /** One client's work; returns {processed, filtered, rejected, sum of processed values} from its responses. */
    private static long[] client(TestServer s, int thread) {
        long processed = 0;
        long filtered = 0;
        long rejected = 0;
        long sum = 0;
        for (int i = 0; i < SINGLES_PER_THREAD; i++) {
            long ts = T0 + (thread * 7919L + i * 104_729L) % 120_000;
            String type = i % 5 == 0 ? "debug" : "metric";
            Reply r = s.post("/events", event(type, "client-" + thread, ts, i));
            assertEquals(200, r.status(), r.body());
            if (r.json().containsKey("filtered")) {
                filtered++;
            } else {
                processed++;
                sum += i;
            }
        }
        for (int b = 0; b < BATCHES_PER_THREAD; b++) {
            List<String> events = new ArrayList<>();
            long expectedSum = 0;
            int expectedRejected = 0;
            int expectedFiltered = 0;
            for (int i = 0; i < BATCH_SIZE; i++) {
                long ts = T0 + (thread * 31L + b * 977L + i * 13L) % 120_000;
                if (i == 7 && b % 2 == 0) {
                    events.add("{\"type\":\"metric\",\"timestamp\":" + ts + "}");
                    expectedRejected++;
                } else if (i % 9 == 4) {
                    events.add(event("debug", "client-" + thread, ts, i));
                    expectedFiltered++;
                } else {
                    events.add(event("log", "batch-" + (b % 3), ts, i));
                    expectedSum += i;
                }
            }
            Map<String, Object> body = s.post("/events/batch", batch(events)).json();
            assertEquals((long) BATCH_SIZE, body.get("total"));
            assertEquals((long) expectedFiltered, body.get("filtered"), body.toString());
            assertEquals((long) BATCH_SIZE - expectedFiltered - expectedRejected, body.get("processed"), body.toString());
            if (expectedRejected > 0) {
                assertEquals((long) expectedRejected, body.get("rejected"), body.toString());
            }
            processed += (Long) body.get("processed");
            filtered += (Long) body.get("filtered");
            rejected += expectedRejected;
            sum += expectedSum;
        }
        return new long[] {processed, filtered, rejected, sum};
    }

    @Test
    void aPipelineOver90PercentFullShedsEventsUnparsedWith503AtOnceAndTheRetrySucceeds() throws Exception {
        int ring = 16;
        CountingSink blocking = CountingSink.gated();
        ServerSettings.Builder settings = ServerSettings.builder().maxBodyBytes(1 << 20).maxBatchEvents(ring)
            .maxBufferedBodyBytes(64L << 20);
        // A blocked stage thread fills the ring; in the inline topology the I/O thread itself would block.
        TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).ringSize(ring).addSink(blocking), settings);
        try {
            // 15 of 16 slots: their events are claimed, then wait behind the blocked sink.
            CompletableFuture<Reply> pending =
                s.sendAsync("POST", "/events/batch", batch(EventText.events(ring - 1, "metric", "a", T0, 1)));
            TestServer.awaitTrue("the pipeline to be over 90% full", Duration.ofSeconds(20),
                () -> "degraded".equals(s.get("/health").json().get("status")));
            Reply degraded = s.get("/health");
            assertEquals(200, degraded.status(), "degraded is still 200");
            assertTrue(degraded.json().get("reason") instanceof String, degraded.body());

            // One slot is free, but past 90% events are shed from the request's head, before their body is parsed:
            // a malformed body gets the same 503 as a good one, not a 400.
            long start = System.nanoTime();
            Reply single = s.post("/events", event("metric", "a", T0, 1));
            Reply batch = s.post("/events/batch", batch(event("metric", "a", T0, 1), event("metric", "a", T0, 1)));
            Reply malformed = s.post("/events/batch", "[{\"type\":");
            long millis = (System.nanoTime() - start) / 1_000_000;
            for (Reply r : List.of(single, batch, malformed)) {
                r.assertError(503);
                assertNotNull(r.header("retry-after"), "503 carries Retry-After");
                assertTrue(String.valueOf(r.json().get("error")).contains("90% full"), r.body());
            }
            assertTrue(millis < 2_000, "503 answered at once, not after waiting for room: " + millis + " ms");
            assertTrue(!pending.isDone(), "requests in the ring wait for the sink");

            blocking.open();
            assertEquals(Map.of("total", ring - 1L, "processed", ring - 1L, "filtered", 0L), pending.get(20, TimeUnit.SECONDS).json());
            // The same requests, retried, now succeed.
            s.post("/events", event("metric", "a", T0, 1)).assertStatus(200);
            assertEquals(2L, s.post("/events/batch", batch(event("metric", "a", T0, 1), event("metric", "a", T0, 1)))
                .json().get("processed"));
            Map<String, Object> stats = s.stats();
            assertEquals(ring + 2L, longAt(stats, "stats.totalReceived"), "a 503 took nothing");
            assertEquals(ring + 2L, longAt(stats, "stats.totalProcessed"));
            assertEquals(ring + 2L, blocking.count());
            assertEquals("healthy", s.get("/health").json().get("status"));
        } finally {
            blocking.open();
            s.close();
        }
    }

    @Test
    void aFullRingMakesHealthUnhealthyAndEventsGet503() throws Exception {
        int ring = 16;
        CountingSink blocking = CountingSink.gated();
        // A request larger than the ring's free part: claimed whole or not at all.
        TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).ringSize(ring).addSink(blocking),
            ServerSettings.builder().maxBatchEvents(ring));
        try {
            CompletableFuture<Reply> pending =
                s.sendAsync("POST", "/events/batch", batch(EventText.events(ring, "metric", "a", T0, 1)));
            TestServer.awaitTrue("the ring to fill up", Duration.ofSeconds(20), () -> s.get("/health").status() == 503);
            Map<String, Object> health = s.get("/health").json();
            assertEquals("unhealthy", health.get("status"));
            assertTrue(health.get("reason") instanceof String, health.toString());
            Reply refused = s.post("/events", event("metric", "a", T0, 1));
            refused.assertError(503);
            assertNotNull(refused.header("retry-after"));
            blocking.open();
            assertEquals((long) ring, pending.get(20, TimeUnit.SECONDS).json().get("processed"));
            assertEquals("healthy", s.get("/health").json().get("status"));
        } finally {
            blocking.open();
            s.close();
        }
    }

    @Test
    void bodiesBeyondTheBufferBudgetGet503AndTheConnectionGoesOn() throws Exception {
        ServerSettings.Builder settings = ServerSettings.builder().maxBodyBytes(64 * 1024).maxBatchEvents(100)
            .maxBufferedBodyBytes(1024);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(128), settings)) {
            Reply big = s.post("/events", ApiContractTest.padded(4096));
            big.assertError(503);
            assertNotNull(big.header("retry-after"));
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(RawHttp.request("POST", "/events", ApiContractTest.padded(4096))
                    + RawHttp.request("POST", "/events", event("metric", "a", T0, 1)));
                RawHttp.Response r = c.read().checked("over budget");
                assertEquals(503, r.status());
                assertNotNull(r.header("retry-after"));
                assertEquals(200, c.read().checked("within budget").status());
            }
            assertEquals(1L, longAt(s.stats(), "stats.totalReceived"), "a 503 took nothing");
        }
    }
}
