package io.streamprocessor.engine.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {
    /** A slot boundary of the ring (a multiple of 5 s). */
    private static final long BOUNDARY = 1_699_380_000_000L;
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long FAST_NANOS = TimeUnit.MICROSECONDS.toNanos(120);

    /** A clock that moves only when told to, and knows which threads read it. */
    static final class TestClock extends Clock {
        private volatile long millis;
        private volatile String lastReader = "";

        TestClock(long millis) {
            this.millis = millis;
        }

        void set(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            lastReader = Thread.currentThread().getName();
            return millis;
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

    /**
     * Moves the clock to {@code to}, ticking just after every slot boundary on the way as the
     * {@link LatencyTicker} does.
     */
    private static void advance(TestClock clock, LatencyRecorder r, long to) {
        long from = clock.millis();
        long boundary = Math.floorDiv(from, LatencyRecorder.SLOT_MILLIS) * LatencyRecorder.SLOT_MILLIS;
        for (long b = boundary + LatencyRecorder.SLOT_MILLIS; b + 2 <= to; b += LatencyRecorder.SLOT_MILLIS) {
            clock.set(b + 2);
            r.tick();
        }
        clock.set(to);
    }

    /**
     * One slow request among fast ones: it leaves the recent figures within 60 s, wherever in its
     * 5 s slot it fell, while the since-start figures keep it. It stays at least 55 s, or 50 s when
     * recorded between a boundary and the tick 2 ms after it (which places it in the slot before).
     * Fast requests keep coming every second meanwhile, so slots are reused around the ring.
     */
    @ParameterizedTest
    @CsvSource({"0, 50000", "1, 50000", "2, 55000", "3, 55000", "2500, 55000", "4999, 55000"})
    void slowRequestLeavesRecentWithinAMinuteAndStaysSinceStart(long intoSlot, long keptAtLeast) {
        long t = BOUNDARY + intoSlot;
        TestClock clock = new TestClock(t - 10_000);
        LatencyRecorder r = new LatencyRecorder(clock);
        r.recordNanos(FAST_NANOS);
        advance(clock, r, t);
        r.recordNanos(SLOW_NANOS);
        assertEquals(250.0, r.recentSummary().max(), 0.5, "the slow request, queried at once");

        for (long s = 1; s < 60; s++) {
            advance(clock, r, t + s * 1000 - 1);
            if (s * 1000 == keptAtLeast) {
                assertEquals(250.0, r.recentSummary().max(), 0.5, (keptAtLeast - 1) + " ms later: still there");
            }
            clock.set(t + s * 1000);
            r.recordNanos(FAST_NANOS);
        }
        advance(clock, r, t + 60_000);
        r.recordNanos(FAST_NANOS);
        LatencySummary recent = r.recentSummary();
        assertTrue(recent.max() < 1, "60 s later: gone from recent, max " + recent.max() + " ms");
        assertTrue(recent.p99() < 1, "recent p99 " + recent.p99());
        assertTrue(recent.count() >= 55 && recent.count() <= 60, "the fast ones of the last minute: " + recent.count());

        LatencySummary sinceStart = r.sinceStartSummary();
        assertEquals(250.0, sinceStart.max(), 0.5, "since start still holds it");
        assertEquals(62, sinceStart.count(), "every latency recorded, once");
    }

    @Test
    void recentFiguresAreMillisecondsOfWhatWasRecorded() {
        TestClock clock = new TestClock(BOUNDARY);
        LatencyRecorder r = new LatencyRecorder(clock);
        assertEquals(new LatencySummary(0, 0, 0, 0, 0, 0, 0), r.recentSummary(), "nothing recorded");
        for (int i = 0; i < 999; i++) {
            r.recordNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        r.recordNanos(TimeUnit.MILLISECONDS.toNanos(40));
        LatencySummary s = r.recentSummary();
        assertEquals(1000, s.count());
        assertEquals(1.0, s.p50(), 0.001);
        assertEquals(1.0, s.p99(), 0.001);
        assertEquals(40.0, s.max(), 0.05);
        assertEquals((999 + 40) / 1000.0, s.mean(), 0.001);
    }

    /**
     * With no tick for a while (a stalled timer, or nobody asking), what was recorded meanwhile is
     * placed no more than one slot back: a late swap does not make a fresh request look old.
     */
    @Test
    void aLateSwapPlacesWhatItFindsAtMostOneSlotBack() {
        TestClock clock = new TestClock(BOUNDARY);
        LatencyRecorder r = new LatencyRecorder(clock);
        clock.set(BOUNDARY + 120_000);
        r.recordNanos(SLOW_NANOS);
        clock.set(BOUNDARY + 125_000);
        assertEquals(250.0, r.recentSummary().max(), 0.5);
        clock.set(BOUNDARY + 125_000 + 49_999);
        assertEquals(250.0, r.recentSummary().max(), 0.5);
    }

    @Test
    void aClockThatGoesBackLosesNothingSinceStart() {
        TestClock clock = new TestClock(BOUNDARY + 600_000);
        LatencyRecorder r = new LatencyRecorder(clock);
        r.recordNanos(SLOW_NANOS);
        r.tick();
        clock.set(BOUNDARY);
        r.recordNanos(FAST_NANOS);
        LatencySummary recent = r.recentSummary();
        assertEquals(1, recent.count(), "the request recorded at the new time: " + recent);
        assertEquals(2, r.snapshot().getTotalCount());
    }

    /**
     * The ticker swaps just after a slot boundary, so a request recorded before it keeps its own
     * slot even when the next query comes more than a minute later; without the tick that query
     * would place it one slot back, still inside the minute.
     */
    @Test
    void tickerKeepsTheRecentViewRightBetweenQueries() {
        long t = BOUNDARY - 20; // 20 ms of the clock before a boundary: the ticker fires about 22 ms from now
        TestClock clock = new TestClock(t);
        LatencyRecorder r = new LatencyRecorder(clock);
        try (LatencyTicker ticker = LatencyTicker.start(r, "test-latency-ticker")) {
            r.recordNanos(SLOW_NANOS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!clock.lastReader.equals("test-latency-ticker")) {
                assertTrue(System.nanoTime() < deadline, "the ticker did not read the clock within 10 s");
                LockSupport.parkNanos(1_000_000);
            }
            clock.set(t + 61_000);
            assertEquals(0, r.recentSummary().count(), "swapped out by the tick at " + t + ", more than a minute ago");
            assertEquals(1, r.snapshot().getTotalCount());
        }
    }
}
