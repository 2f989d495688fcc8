package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's HdrHistogram of microseconds becomes classic buckets in seconds, each value in the first bound it does not exceed. */
class LatencyHistogramTest {
    @Test
    void eachValueLandsInTheFirstBucketItDoesNotExceed() {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (long v : new long[] {0, 10, 11, 50, 51, 999, 1_000, 1_001, 40_000_000}) {
            micros.recordValue(v);
        }
        HistogramSnapshot.HistogramDataPointSnapshot h = LatencyHistogram.snapshot(micros).getDataPoints().get(0);
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (ClassicHistogramBucket b : h.getClassicBuckets()) {
            bounds.add(b.getUpperBound());
            counts.add(b.getCount());
        }
        assertEquals(List.of(1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, Double.POSITIVE_INFINITY), bounds);
        // not cumulative here (the writer sums them): 0 and 10 | 11 | 50 | 51 | - | - | 999 and 1,000 | 1,001 | ... | 40 s
        assertEquals(List.of(2L, 1L, 1L, 1L, 0L, 0L, 2L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), counts);
        assertEquals(9, h.getCount());
        assertEquals((0 + 10 + 11 + 50 + 51 + 999 + 1_000 + 1_001 + 40_000_000) / 1e6, h.getSum(), 40 * 0.001);
    }
}
