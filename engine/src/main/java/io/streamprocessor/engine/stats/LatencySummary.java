package io.streamprocessor.engine.stats;

import org.HdrHistogram.Histogram;

/**
 * Processing-latency figures of one histogram, in milliseconds; all zero when {@code count} is.
 * Immutable.
 *
 * @param count latencies recorded (one per event)
 */
public record LatencySummary(long count, double mean, double p50, double p90, double p99, double p999, double max) {
    /** From a histogram in microseconds. */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(),
            micros.getMean() / 1000.0,
            micros.getValueAtPercentile(50) / 1000.0,
            micros.getValueAtPercentile(90) / 1000.0,
            micros.getValueAtPercentile(99) / 1000.0,
            micros.getValueAtPercentile(99.9) / 1000.0,
            micros.getMaxValue() / 1000.0);
    }
}
