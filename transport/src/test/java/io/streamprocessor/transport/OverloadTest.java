package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many connections sending large batches as fast as answers come, far more than one I/O thread
 * parses: the server sheds the excess with 503 and stays reachable. The I/O thread is held to
 * one, and the overload delay to 2 ms, so that the server is overloaded on any machine.
 */
class OverloadTest {
    private static final int CONNECTIONS = 48;
    private static final int BATCH = 1_000;

    @Test
    void floodedServerShedsTheExcessAnswersAFreshHealthProbeAndTakesNothingOfWhatItSheds() throws Exception {
        ServerSettings.Builder settings = ServerSettings.builder().eventLoops(1).overloadDelayMillis(2).maxBatchEvents(BATCH);
        byte[] request = RawHttp.request("POST", "/events/batch", batch(EventText.events(BATCH, "metric", "flood", T0, 1)))
            .getBytes(StandardCharsets.UTF_8);
        try (TestServer s = TestServer.start(StreamProcessor.builder(), settings)) {
            Flood flood = new Flood(s.port(), request);
            try {
                TestServer.awaitTrue("the server to shed", Duration.ofSeconds(30), () -> flood.statuses.containsKey(503));
                // A liveness probe: a new connection, one request, Connection: close.
                try (RawHttp probe = new RawHttp(s.port())) {
                    RawHttp.Response health = probe.write(RawHttp.request("GET", "/health", null, "Connection: close")).read();
                    assertEquals(200, health.status(), health.body());
                }
                assertTrue(!flood.stopped(), "the probe was answered while the flood went on");
            } finally {
                flood.stop();
            }
            assertTrue(flood.statuses.getOrDefault(200, 0L) > 0, "some batches were taken: " + flood.statuses);
            assertTrue(flood.shedWithRetryAfter.get() == flood.statuses.get(503), "every 503 carries Retry-After and says "
                + "the server is busy: " + flood.shedWithRetryAfter + " of " + flood.statuses.get(503));
            Map<String, Object> stats = s.stats();
            assertEquals(flood.processed.get(), longAt(stats, "stats.totalProcessed"),
                "exactly the events of the batches answered 200 were processed; nothing of a shed batch");
            assertEquals(flood.processed.get(), longAt(stats, "stats.totalReceived"));
            // Once the load stops, the next request is served normally.
            s.post("/events", event("metric", "after", T0, 1)).assertStatus(200);
        }
    }

    /** Connections that each send the same batch again as soon as the last is answered, until stopped. */
    private static final class Flood {
        final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        final AtomicLong processed = new AtomicLong();
        final AtomicLong shedWithRetryAfter = new AtomicLong();
        private final ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        private final List<Future<?>> running = new ArrayList<>();
        private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        private volatile boolean stop;

        Flood(int port, byte[] request) {
            for (int i = 0; i < CONNECTIONS; i++) {
                running.add(threads.submit(() -> {
                    try (RawHttp c = new RawHttp(port)) {
                        while (!stopped()) {
                            RawHttp.Response r = c.write(request).read();
                            statuses.merge(r.status(), 1L, Long::sum);
                            if (r.status() == 200) {
                                processed.addAndGet(((Number) ((Map<?, ?>) Json.parse(r.body())).get("processed")).longValue());
                            } else if (r.status() == 503 && r.header("retry-after") != null
                                && r.body().contains("server busy")) {
                                shedWithRetryAfter.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
        }

        boolean stopped() {
            return stop || System.nanoTime() > deadline;
        }

        /** Stops sending and waits for every connection's last answer. */
        void stop() throws Exception {
            stop = true;
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            threads.shutdown();
        }
    }
}
