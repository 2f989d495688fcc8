package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.TestServer.Reply;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.Json.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /stats} {@code recent}: the latency of the last minute, beside the figures since start. */
class RecentLatencyHttpTest {
    private static final long HOLD_MILLIS = 300;

    /** The system clock, moved forward when told to. Thread-safe. */
    private static final class ShiftedClock extends Clock {
        private volatile long shiftMillis;

        void shift(Duration d) {
            shiftMillis += d.toMillis();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + shiftMillis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static double ms(Map<String, Object> stats, String path) {
        return ((Number) at(stats, path)).doubleValue();
    }

    @Test
    void slowRequestLeavesRecentAfterAMinuteAndStaysInTheFiguresSinceStart() {
        ShiftedClock clock = new ShiftedClock();
        CountingSink gate = CountingSink.gated();
        // A stage thread of its own lets the gated sink hold a request while the I/O thread goes on.
        try (TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).clock(clock).addSink(gate),
            ServerSettings.builder())) {
            long now = clock.millis();
            CompletableFuture<Reply> slow = s.sendAsync("POST", "/events", event("metric", "a", now, 1));
            TestServer.awaitTrue("the slow event to be in the pipeline", Duration.ofSeconds(20), () -> s.processor.ringUsed() > 0);
            long held = System.nanoTime();
            while (System.nanoTime() - held < TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS)); // the hold is the point: it makes the request slow
            }
            gate.open();
            slow.join().assertStatus(200);
            for (int i = 0; i < 3; i++) {
                s.post("/events", event("metric", "a", now + i, 1)).assertStatus(200);
            }

            Map<String, Object> before = s.stats();
            assertEquals(Set.of("count", "mean", "p50", "p90", "p99", "p999", "max"),
                ((Map<?, ?>) at(before, "stats.recent")).keySet(), before.toString());
            assertEquals(4L, at(before, "stats.recent.count"), "one latency per event: " + before);
            assertTrue(ms(before, "stats.recent.max") >= HOLD_MILLIS, "the slow request, in ms: " + before);
            assertTrue(ms(before, "stats.recent.p50") < ms(before, "stats.recent.max"), "the fast ones make the median: " + before);
            double mean = ms(before, "stats.recent.mean");
            assertTrue(mean >= HOLD_MILLIS / 4.0 && mean <= ms(before, "stats.recent.max"), "mean of the four: " + before);

            clock.shift(Duration.ofSeconds(61));
            s.post("/events", event("metric", "a", clock.millis(), 1)).assertStatus(200);

            Map<String, Object> after = s.stats();
            assertEquals(1L, at(after, "stats.recent.count"), "only the request of the last minute: " + after);
            assertTrue(ms(after, "stats.recent.max") < HOLD_MILLIS, "the slow request left recent: " + after);
            assertTrue(ms(after, "stats.recent.p99") < HOLD_MILLIS, after.toString());
            assertTrue(ms(after, "stats.max") >= HOLD_MILLIS, "since start still shows it: " + after);
            assertTrue(ms(after, "stats.p99") >= HOLD_MILLIS, "since-start p99 of five with one slow: " + after);
        }
    }
}
