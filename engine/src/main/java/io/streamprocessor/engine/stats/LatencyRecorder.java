package io.streamprocessor.engine.stats;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Processing latency (request arrival to completion) in an HdrHistogram, microsecond units, three
 * significant digits, up to one minute (longer values are clamped). One thread records without
 * allocating or locking; readers fold the recorder's interval histograms into a cumulative one.
 */
public final class LatencyRecorder {
    private static final long HIGHEST_MICROS = 60_000_000L;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private Histogram interval;

    /** Writer only. */
    public void recordNanos(long nanos) {
        long micros = nanos / 1000;
        recorder.recordValue(micros < 0 ? 0 : Math.min(micros, HIGHEST_MICROS));
    }

    /** Any thread: a copy of everything recorded so far. */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }
}
