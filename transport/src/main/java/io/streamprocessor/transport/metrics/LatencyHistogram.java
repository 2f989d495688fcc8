package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The processing-latency histogram of {@code /metrics}, read from the engine's HdrHistogram at
 * scrape time rather than observed a second time per request: each recorded value (whole
 * microseconds) is counted in the first bucket whose bound it does not exceed. The buckets suit
 * sub-millisecond work: 10 µs to 1 s, about three per decade. Stateless.
 */
final class LatencyHistogram {
    static final String NAME = "stream_processor_processing_latency_seconds";
    /** Upper bounds in microseconds; the +Inf bucket follows them. */
    private static final long[] BOUNDS_MICROS = {
        10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000};
    private static final double[] BOUNDS_SECONDS = new double[BOUNDS_MICROS.length + 1];

    static {
        for (int i = 0; i < BOUNDS_MICROS.length; i++) {
            BOUNDS_SECONDS[i] = BOUNDS_MICROS[i] / 1e6;
        }
        BOUNDS_SECONDS[BOUNDS_MICROS.length] = Double.POSITIVE_INFINITY;
    }

    private LatencyHistogram() {
    }

    /** The histogram of {@code micros} (since start) as the library's snapshot, in seconds. */
    static HistogramSnapshot snapshot(Histogram micros) {
        long[] counts = new long[BOUNDS_SECONDS.length]; // per bucket, not cumulative: the writer sums them
        for (HistogramIterationValue v : micros.recordedValues()) {
            // The largest value HdrHistogram cannot tell apart from this one: exact below 2,048 µs, within 0.1% above.
            long value = v.getValueIteratedTo();
            int b = 0;
            while (b < BOUNDS_MICROS.length && value > BOUNDS_MICROS[b]) {
                b++;
            }
            counts[b] += v.getCountAtValueIteratedTo();
        }
        long total = micros.getTotalCount();
        double sumSeconds = total == 0 ? 0.0 : micros.getMean() * total / 1e6;
        return HistogramSnapshot.builder()
            .name(NAME)
            .unit(Unit.SECONDS)
            .help("Processing latency: from a request's arrival to its events' completion (aggregated, journaled, "
                + "handed to the sinks), since start; whole microseconds")
            .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts))
                .sum(sumSeconds)
                .build())
            .build();
    }
}
