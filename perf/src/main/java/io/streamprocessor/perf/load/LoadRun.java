package io.streamprocessor.perf.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The shared tallies of one run: latency recorders (coordinated-omission corrected, measured
 * from each request's intended send time, and uncorrected, from its actual send time), status
 * codes, and errors. Written by every generator I/O thread; thread-safe.
 */
final class LoadRun {
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    final long measureStartNanos;
    final long measureEndNanos;
    private final Recorder corrected = new Recorder(HIGHEST_NANOS, 3);
    private final Recorder uncorrected = new Recorder(HIGHEST_NANOS, 3);
    /** Time to a 503 from the request's actual send: how quickly excess load is turned away. */
    private final Recorder shed = new Recorder(HIGHEST_NANOS, 3);
    private final AtomicLongArray statuses = new AtomicLongArray(600);
    private final AtomicLong completedInWindow = new AtomicLong();
    final AtomicLong connectionErrors = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();
    final AtomicLong neverSent = new AtomicLong();
    volatile boolean sending = true;
    /** Responses completed in each second of the measured window, for throughput over time. */
    private final AtomicLongArray perSecond;

    LoadRun(long measureStartNanos, long measureEndNanos) {
        this.measureStartNanos = measureStartNanos;
        this.measureEndNanos = measureEndNanos;
        this.perSecond = new AtomicLongArray((int) ((measureEndNanos - measureStartNanos) / 1_000_000_000L) + 1);
    }

    /**
     * One response. Throughput and status codes count responses completed inside the measured
     * window; latency counts requests meant to be sent inside it, whenever they completed.
     */
    void onResponse(int status, long intendedNanos, long sentNanos, long nowNanos) {
        if (nowNanos >= measureStartNanos && nowNanos <= measureEndNanos) {
            completedInWindow.incrementAndGet();
            if (status > 0 && status < statuses.length()) {
                statuses.incrementAndGet(status);
            }
            int second = (int) ((nowNanos - measureStartNanos) / 1_000_000_000L);
            if (second >= 0 && second < perSecond.length()) {
                perSecond.incrementAndGet(second);
            }
        }
        if (intendedNanos >= measureStartNanos && intendedNanos < measureEndNanos) {
            corrected.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nowNanos - intendedNanos)));
            uncorrected.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nowNanos - sentNanos)));
            if (status == 503) {
                shed.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nowNanos - sentNanos)));
            }
        }
    }

    /**
     * A request meant to be sent inside the window that never left, because the connection was
     * still waiting for earlier answers when the run ended: its latency is at least {@code
     * endNanos - intendedNanos}, and it is recorded as such rather than forgotten.
     */
    void onNeverSent(long intendedNanos, long endNanos) {
        neverSent.incrementAndGet();
        corrected.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, endNanos - intendedNanos)));
    }

    long[] perSecond() {
        long[] r = new long[perSecond.length()];
        for (int i = 0; i < r.length; i++) {
            r[i] = perSecond.get(i);
        }
        return r;
    }

    long completedInWindow() {
        return completedInWindow.get();
    }

    long status(int code) {
        return statuses.get(code);
    }

    int statusSlots() {
        return statuses.length();
    }

    Histogram corrected() {
        return corrected.getIntervalHistogram();
    }

    Histogram uncorrected() {
        return uncorrected.getIntervalHistogram();
    }

    Histogram shed() {
        return shed.getIntervalHistogram();
    }
}
