package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.BinAcceptor;
import com.datadoghq.sketch.ddsketch.store.Store;

import java.util.Arrays;

/**
 * A window's p50, p95 and p99: nearest-rank percentiles (the ⌈p·n/100⌉-th smallest of the n
 * values) within the sketch's relative accuracy, never outside the exact {@code [min, max]}.
 * All three come from one walk over the sketch's bins, each the very value
 * {@link DDSketch#getValueAtQuantile} would answer (that method counts every bin and walks them
 * again for each quantile, allocating as it goes). Reusable; not thread-safe.
 */
final class Percentiles implements BinAcceptor {
    static final int[] PERCENTS = {50, 95, 99};

    private final double[] answer = new double[PERCENTS.length];
    /** Per percent, the cumulative count past which the bin holds it; NaN once answered. */
    private final double[] threshold = new double[PERCENTS.length];
    private int[] negativeIndex = new int[16];
    private double[] negativeCount = new double[16];
    private int negativeBins;
    private final BinAcceptor negatives = this::collectNegative;
    private IndexMapping mapping;
    private double cumulated;
    private int pending;

    /** The values at {@link #PERCENTS} of a sketch holding exactly n values (n > 0) with that min and max. */
    double[] of(DDSketch values, long n, double min, double max) {
        double count = values.getCount();
        pending = 0;
        for (int i = 0; i < PERCENTS.length; i++) {
            long rank = Math.max(1, (PERCENTS[i] * n + 99) / 100);
            threshold[i] = Double.NaN;
            if (rank >= n) {
                answer[i] = max;
            } else if (rank == 1) {
                answer[i] = min;
            } else {
                // DDSketch answers the bin holding 0-based rank q·(count-1), the first whose cumulative
                // count exceeds it; asking for rank - 0.5 lands on the rank-th smallest exactly
                double q = (rank - 0.5) / (n - 1);
                threshold[i] = q * (count - 1);
                pending++;
            }
        }
        if (pending > 0) {
            walk(values);
        }
        for (int i = 0; i < PERCENTS.length; i++) {
            answer[i] = Math.max(min, Math.min(max, answer[i]));
        }
        return answer;
    }

    /** Ascending values: negative bins by descending index, the zero bucket, positive bins by ascending index. */
    private void walk(DDSketch values) {
        mapping = values.getIndexMapping();
        cumulated = 0.0;
        Store negative = values.getNegativeValueStore();
        Store positive = values.getPositiveValueStore();
        negativeBins = 0;
        negative.forEach(negatives);
        for (int b = negativeBins - 1; b >= 0 && pending > 0; b--) {
            if (reach(negativeCount[b])) {
                answer(-mapping.value(negativeIndex[b]));
            }
        }
        double zeros = values.getCount() - negative.getTotalCount() - positive.getTotalCount();
        if (pending > 0 && reach(zeros)) {
            answer(0.0);
        }
        if (pending > 0) {
            positive.forEach(this);
        }
        if (pending > 0) {
            throw new IllegalStateException("value sketch holds fewer values than counted");
        }
    }

    /** One positive bin, in ascending index order. */
    @Override
    public void accept(int index, double count) {
        if (pending > 0 && reach(count)) {
            answer(mapping.value(index));
        }
    }

    private void collectNegative(int index, double count) {
        if (negativeBins == negativeIndex.length) {
            negativeIndex = Arrays.copyOf(negativeIndex, 2 * negativeBins);
            negativeCount = Arrays.copyOf(negativeCount, 2 * negativeBins);
        }
        negativeIndex[negativeBins] = index;
        negativeCount[negativeBins++] = count;
    }

    /** Adds one bin to the running count; whether it passes a pending threshold (the bin's value is costly). */
    private boolean reach(double count) {
        cumulated += count;
        for (int i = 0; i < PERCENTS.length; i++) {
            if (cumulated > threshold[i]) {
                return true;
            }
        }
        return false;
    }

    /** Answers every pending percent whose threshold the running count has passed with this bin's value. */
    private void answer(double value) {
        for (int i = 0; i < PERCENTS.length; i++) {
            if (cumulated > threshold[i]) {
                answer[i] = value;
                threshold[i] = Double.NaN;
                pending--;
            }
        }
    }
}
