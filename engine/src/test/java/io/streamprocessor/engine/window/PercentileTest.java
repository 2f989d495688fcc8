package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Window value percentiles are nearest-rank (the ⌈q·n⌉-th smallest value), within 1% relative
 * error, and never outside the window's exact min and max.
 */
class PercentileTest {
    private static final long T0 = 1_699_380_000_000L;
    private static final long SEED = 42L;

    /** One tumbling window holding exactly these values. */
    private static WindowResult window(double... values) {
        Interner types = new Interner(100);
        Validator validator = new Validator(types, new Interner(100), Long.MAX_VALUE / 4, 16, 256, false, "t-");
        WindowStore store = new WindowStore(new WindowSpec(60_000, 60_000, 0), 1_000, 10_000, List.of());
        EventRecord record = new EventRecord(FieldPath.of("value"), 64, 1024);
        for (int i = 0; i < values.length; i++) {
            DataWriter d = record.begin(T0).type("m").source("s").timestamp(T0 + i % 60_000).data();
            d.startObject().name("value").number(values[i]).endObject();
            assertTrue(validator.validate(record, T0, i), record::rejectionMessage);
            assertTrue(store.add(record.view()));
        }
        List<WindowResult> windows = store.query(types);
        assertEquals(1, windows.size());
        return windows.get(0);
    }

    /** The exact nearest-rank percentile of the values. */
    private static double exact(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.max(1, Math.ceil(percent * (double) sorted.length / 100 - 1e-9));
        return sorted[rank - 1];
    }

    private static void assertWithinOnePercent(double expected, Double actual, String what) {
        assertTrue(actual != null && Math.abs(actual - expected) <= 0.01 * Math.abs(expected) + 1e-12,
            what + ": expected " + expected + " ± 1%, got " + actual);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        WindowResult w = window(98);
        assertEquals(98.0, w.p50());
        assertEquals(98.0, w.p95());
        assertEquals(98.0, w.p99());
    }

    @Test
    void theTopPercentileOfThreeValuesIsTheLargest() {
        WindowResult w = window(0.12, 0.4, 1.5);
        assertWithinOnePercent(1.5, w.p99(), "p99");
        assertWithinOnePercent(0.4, w.p50(), "p50 is the 2nd of 3");
        assertTrue(w.p99() <= 1.5 && w.p50() >= 0.12);
    }

    @Test
    void tensToTwoHundredHaveTheirLargestAsP99() {
        double[] tens = IntStream.rangeClosed(1, 20).mapToDouble(i -> i * 10).toArray();
        WindowResult w = window(tens);
        assertWithinOnePercent(200, w.p99(), "p99 of 10, 20 .. 200");
        assertWithinOnePercent(100, w.p50(), "p50 of 10, 20 .. 200 is the 10th");
        assertWithinOnePercent(190, w.p95(), "p95 of 10, 20 .. 200 is the 19th");

        double[] all = IntStream.rangeClosed(10, 200).asDoubleStream().toArray();
        WindowResult every = window(all);
        assertWithinOnePercent(200, every.p99(), "p99 of 10, 11 .. 200");
        assertWithinOnePercent(exact(all, 99), every.p99(), "p99 of 10, 11 .. 200 is the 190th");
        assertTrue(every.p99() <= 200);
    }

    @Test
    void aWindowWithoutValuesHasNoPercentiles() {
        Interner types = new Interner(10);
        Validator validator = new Validator(types, new Interner(10), Long.MAX_VALUE / 4, 16, 256, false, "t-");
        WindowStore store = new WindowStore(new WindowSpec(60_000, 60_000, 0), 1_000, 10_000, List.of());
        EventRecord record = new EventRecord(FieldPath.of("value"), 64, 1024);
        record.begin(T0).type("m").source("s").timestamp(T0);
        assertTrue(validator.validate(record, T0, 0));
        store.add(record.view());
        WindowResult w = store.query(types).get(0);
        assertNull(w.p50());
        assertNull(w.p99());
    }

    @Test
    void randomWindowsMatchExactSortedValues() {
        Random r = new Random(SEED);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(r.nextBoolean() ? 10 : 3_000);
            double[] values = new double[n];
            int shape = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                values[i] = switch (shape) {
                    case 0 -> r.nextInt(1000);                                  // integers, many ties, zeros
                    case 1 -> Math.exp(r.nextGaussian() * 3);                   // wide positive range
                    case 2 -> (r.nextDouble() - 0.5) * 2_000;                   // negatives and positives
                    default -> r.nextInt(5) == 0 ? 1e6 * r.nextDouble() : r.nextDouble();  // heavy tail
                };
            }
            WindowResult w = window(values);
            double min = Arrays.stream(values).min().orElseThrow();
            double max = Arrays.stream(values).max().orElseThrow();
            String where = "seed " + SEED + ", trial " + trial + ", n " + n + ", shape " + shape;
            Double[] got = {w.p50(), w.p95(), w.p99()};
            int[] percents = {50, 95, 99};
            for (int k = 0; k < 3; k++) {
                assertWithinOnePercent(exact(values, percents[k]), got[k], where + ", p" + percents[k]);
                assertTrue(got[k] >= min && got[k] <= max, where + ", p" + percents[k] + " " + got[k]
                    + " outside [" + min + ", " + max + "]");
            }
        }
    }

    /**
     * {@link Percentiles} answers all three in one walk over the bins; each must be the very value
     * asking the sketch for that quantile gives (how a window's percentiles were computed before),
     * to the last bit: negative values, zeros and positive values, few and many, narrow and wide.
     */
    @Test
    void oneWalkAnswersWhatTheSketchAnswersForEachPercentile() {
        Random r = new Random(7);
        Percentiles percentiles = new Percentiles();
        for (int trial = 0; trial < 2_000; trial++) {
            DDSketch sketch = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
            int n = 1 + r.nextInt(trial % 10 == 0 ? 5_000 : 200);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int shape = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                double v = switch (shape) {
                    case 0 -> r.nextInt(201) - 100;
                    case 1 -> Math.exp(r.nextGaussian() * 3);
                    case 2 -> -Math.exp(r.nextGaussian());
                    default -> r.nextInt(5) == 0 ? 0.0 : (r.nextBoolean() ? 1 : -1) * Math.exp(r.nextDouble() * 20 - 6);
                };
                sketch.accept(v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double[] answers = percentiles.of(sketch, n, min, max);
            for (int i = 0; i < Percentiles.PERCENTS.length; i++) {
                int percent = Percentiles.PERCENTS[i];
                assertEquals(askTheSketch(sketch, percent, n, min, max), answers[i],
                    "trial " + trial + ": p" + percent + " of " + n + " values, shape " + shape);
            }
        }
    }

    /** How a window's percentile was computed before: one sketch query per percentile. */
    private static double askTheSketch(DDSketch values, int percent, long n, double min, double max) {
        long rank = Math.max(1, (percent * n + 99) / 100);
        if (rank >= n) {
            return max;
        }
        if (rank == 1) {
            return min;
        }
        double v = values.getValueAtQuantile((rank - 0.5) / (n - 1));
        return Math.max(min, Math.min(max, v));
    }
}
