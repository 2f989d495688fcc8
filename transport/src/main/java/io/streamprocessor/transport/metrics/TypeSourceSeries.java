package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.streamprocessor.engine.stats.TypeSourceCounts;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stream_processor_type_source_events_total{type,source}}: processed events per
 * {@code type:source}. Bounded at {@link #LIMIT} series plus {@code _other}, below the engine's own
 * bound ({@code cardinality.max-metric-keys}, 10,000): type and source come from clients, and a
 * scrape of 10,000 such series took over 5 ms on its own. The bound keeps counters counters: a pair
 * gets its series the first time a scrape finds it while there is room (pairs found by the same
 * scrape in the order the server first saw their type, then their source), and keeps it; every
 * other pair, and the engine's own {@code _other}, is summed under type and source {@code _other},
 * which therefore only grows.
 *
 * <p>The library sorts a metric's series by their labels and checks them for duplicates. So the
 * labels of each series are made once and kept in sorted order, and the series are handed over
 * already sorted, which the library's sort passes through in one pass.
 *
 * <p>Not thread-safe: the scrape that uses it holds its collector's lock.
 */
final class TypeSourceSeries {
    static final String NAME = "stream_processor_type_source_events";
    /** Pairs with a series of their own. */
    static final int LIMIT = 1_000;
    static final String OTHER = "_other";
    /** Where the series of {@code _other} sits among the keys: no pair's key is this. */
    private static final long OTHER_KEY = Long.MIN_VALUE;

    /** Position of each series (by the engine's key of its pair) in {@link #sorted}; -1 for none. */
    private final Long2LongHashMap position = new Long2LongHashMap(-1);
    private long[] sortedKeys = new long[0];
    private Labels[] sorted = new Labels[0];
    private int admitted;

    CounterSnapshot snapshot(TypeSourceCounts pairs) {
        if (admitted < LIMIT || position.get(OTHER_KEY) < 0) {
            admitNew(pairs);
        }
        double[] values = new double[sorted.length];
        Arrays.fill(values, Double.NaN);
        double other = 0;
        boolean anyOther = false;
        for (int i = 0; i < pairs.size(); i++) {
            long at = pairs.isOther(i) ? -1 : position.get(pairs.key(i));
            if (at < 0) {
                other += pairs.count(i);
                anyOther = true;
            } else {
                values[(int) at] = pairs.count(i);
            }
        }
        if (anyOther) {
            values[(int) position.get(OTHER_KEY)] = other;
        }
        CounterSnapshot.Builder series = CounterSnapshot.builder()
            .name(NAME)
            .help("Processed events per type and source: the first " + LIMIT + " pairs each, the rest under type and "
                + "source _other");
        for (int i = 0; i < sorted.length; i++) {
            if (!Double.isNaN(values[i])) {
                series.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(sorted[i]).value(values[i]).build());
            }
        }
        return series.build();
    }

    /**
     * Gives the pairs not seen before a series while there is room, and {@code _other} one once some
     * pair goes without (so from then on nothing is left to admit, and scrapes skip this).
     */
    private void admitNew(TypeSourceCounts pairs) {
        long[] candidates = new long[pairs.size()];
        int n = 0;
        boolean needOther = false;
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.isOther(i)) {
                needOther = true;
            } else if (position.get(pairs.key(i)) < 0) {
                candidates[n++] = i;
            }
        }
        List<Long> fresh = new ArrayList<>();
        Map<Long, Labels> labelsOf = new HashMap<>();
        if (n > 0) {
            // The engine's keys order pairs by when the server first saw their type, then their source.
            Integer[] order = new Integer[n];
            for (int k = 0; k < n; k++) {
                order[k] = (int) candidates[k];
            }
            Arrays.sort(order, (x, y) -> Long.compare(pairs.key(x), pairs.key(y)));
            for (int k = 0; k < n && admitted < LIMIT; k++) {
                int i = order[k];
                fresh.add(pairs.key(i));
                labelsOf.put(pairs.key(i), Labels.of("type", pairs.type(i), "source", pairs.source(i)));
                admitted++;
            }
            needOther |= admitted == LIMIT;
        }
        if (needOther && position.get(OTHER_KEY) < 0) {
            fresh.add(OTHER_KEY);
            labelsOf.put(OTHER_KEY, Labels.of("type", OTHER, "source", OTHER));
        }
        if (!fresh.isEmpty()) {
            merge(fresh, labelsOf);
        }
    }

    /** Merges the new series into the sorted order. */
    private void merge(List<Long> fresh, Map<Long, Labels> labelsOf) {
        fresh.sort((a, b) -> labelsOf.get(a).compareTo(labelsOf.get(b)));
        int n = sorted.length;
        int m = fresh.size();
        long[] keys = new long[n + m];
        Labels[] labels = new Labels[n + m];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n + m; k++) {
            if (j >= m || (i < n && sorted[i].compareTo(labelsOf.get(fresh.get(j))) <= 0)) {
                keys[k] = sortedKeys[i];
                labels[k] = sorted[i++];
            } else {
                keys[k] = fresh.get(j);
                labels[k] = labelsOf.get(fresh.get(j++));
            }
            position.put(keys[k], k);
        }
        sortedKeys = keys;
        sorted = labels;
    }
}
