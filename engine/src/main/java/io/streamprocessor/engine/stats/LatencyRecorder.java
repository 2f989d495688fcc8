package io.streamprocessor.engine.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.time.Clock;
import java.util.Arrays;

/**
 * Processing latency (request arrival to completion) in HdrHistograms, microsecond units, three
 * significant digits, up to one minute (longer values are clamped): since start, and over the
 * last {@value #RECENT_MILLIS} ms.
 *
 * <p>One thread records, without allocating or locking, into a {@link SingleWriterRecorder}, as
 * it did before there was a recent view. Readers and {@link #tick()} take this object's lock:
 * each swaps the recorder's interval histogram out and adds it to the since-start histogram and
 * to one slot of a ring of {@value #SLOTS} histograms of {@value #SLOT_MILLIS} ms each;
 * {@link #recentSummary()} sums the slots of the last minute. {@link LatencyTicker} ticks just after
 * every slot boundary, so what is swapped out belongs to the slot that just ended.
 */
public final class LatencyRecorder {
    /** How far back {@link #recentSummary()} looks. */
    public static final long RECENT_MILLIS = 60_000;
    /** The step in which {@link #recentSummary()} forgets: one slot of the ring. */
    public static final long SLOT_MILLIS = 5_000;
    static final int SLOTS = (int) (RECENT_MILLIS / SLOT_MILLIS);
    private static final long HIGHEST_MICROS = 60_000_000L;

    private final Clock clock;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    /** A slot's counts stay far below 2^31 (that would be 400 M events a second), so int counts halve the ring's memory. */
    private final IntCountsHistogram[] slots = new IntCountsHistogram[SLOTS];
    /** Which period of the clock ({@code millis / SLOT_MILLIS}) each slot holds. */
    private final long[] slotPeriod = new long[SLOTS];
    /** Where {@link #recentSummary()} sums the ring, reused: a query allocates no histogram. */
    private final Histogram recentSum = new Histogram(HIGHEST_MICROS, 3);
    private Histogram interval;
    private long lastSwapMillis;

    /** @param clock the clock whose minute {@link #recentSummary()} covers (the processor's) */
    public LatencyRecorder(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new IntCountsHistogram(HIGHEST_MICROS, 3);
        }
        Arrays.fill(slotPeriod, Long.MIN_VALUE);
        lastSwapMillis = clock.millis();
    }

    /** Writer only. */
    public void recordNanos(long nanos) {
        recorder.recordValue(micros(nanos));
    }

    /**
     * Writer only: {@code count} values of {@code micros} (as {@link #micros} gives) at once. A run
     * of events with the same latency costs one recording, not one each.
     */
    public void recordMicros(long micros, long count) {
        recorder.recordValueWithCount(micros, count);
    }

    /** What a latency of {@code nanos} is recorded as: whole microseconds, clamped to the histogram's range. */
    public static long micros(long nanos) {
        long micros = nanos / 1000;
        return micros < 0 ? 0 : Math.min(micros, HIGHEST_MICROS);
    }

    /**
     * Any thread: moves what was recorded since the last swap into the since-start histogram and
     * into the ring, in the period of the last swap, yet no earlier than one slot before now.
     * Ticking just after every boundary, that is the period the values were recorded in, but for
     * those of the milliseconds between the boundary and the tick, which leave the recent view up
     * to one slot early. Without ticks (a stalled timer) values are never placed more than one
     * slot back.
     */
    public synchronized void tick() {
        long now = clock.millis();
        interval = recorder.getIntervalHistogram(interval);
        long placedAt = Math.min(now, Math.max(lastSwapMillis, now - SLOT_MILLIS));
        lastSwapMillis = now;
        if (interval.getTotalCount() == 0) {
            return;
        }
        total.add(interval);
        long period = Math.floorDiv(placedAt, SLOT_MILLIS);
        int i = (int) Math.floorMod(period, (long) SLOTS);
        if (slotPeriod[i] != period) {
            slots[i].reset();
            slotPeriod[i] = period;
        }
        slots[i].add(interval);
    }

    /** Any thread: a copy of everything recorded so far. */
    public synchronized Histogram snapshot() {
        tick();
        return total.copy();
    }

    /** Any thread: the figures of everything recorded so far, without copying the histogram. */
    public synchronized LatencySummary sinceStartSummary() {
        tick();
        return LatencySummary.of(total);
    }

    /**
     * Any thread: the figures of what was recorded in the last minute, in steps of
     * {@value #SLOT_MILLIS} ms: the current slot and the eleven before it, so from between 55 and
     * 60 s ago until now.
     */
    public synchronized LatencySummary recentSummary() {
        tick();
        long current = Math.floorDiv(lastSwapMillis, SLOT_MILLIS);
        recentSum.reset();
        for (int i = 0; i < SLOTS; i++) {
            long p = slotPeriod[i];
            if (p > current - SLOTS && p <= current) {
                recentSum.add(slots[i]);
            }
        }
        return LatencySummary.of(recentSum);
    }

    /** The clock the ring's slots follow. */
    Clock clock() {
        return clock;
    }
}
