package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.event.Interner;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running merge of panes: the parts of a window that are merged pane by pane (the value
 * sketch, the counts by type, the custom aggregation states). Panes are always
 * merged into it newest first, so after taking panes {@code top} down to {@code k} it holds
 * exactly what a merge built for the window starting at {@code k} alone would hold, in the same
 * order of operations, even if it goes on to older panes for a longer window. Each computation
 * starts from a new one, so a window's result depends on its panes only, never on which query
 * computed it or on what was merged before.
 *
 * <p>Not thread-safe: used by one query, under the lock that holds the window stage off.
 */
final class PaneMerge implements LongLongConsumer {
    @SuppressWarnings("rawtypes")
    private final Aggregation[] aggregations;
    private final int typeLimit;
    private final Long2LongHashMap types = new Long2LongHashMap(0);
    private final DDSketch values = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
    private final Percentiles percentiles = new Percentiles();
    private final Object[] custom;

    @SuppressWarnings("rawtypes")
    PaneMerge(int typeLimit, Aggregation[] aggregations) {
        this.aggregations = aggregations;
        this.typeLimit = typeLimit;
        this.custom = new Object[aggregations.length];
        for (int i = 0; i < aggregations.length; i++) {
            custom[i] = aggregations[i].createState();
        }
    }

    /** Merges a pane holding at least one event; the pane is unchanged. */
    @SuppressWarnings("unchecked")
    void add(Pane pane) {
        pane.types.forEach(this);
        if (pane.valueCount > 0) {
            values.mergeWith(pane.values);
        }
        for (int i = 0; i < aggregations.length; i++) {
            aggregations[i].merge(custom[i], pane.custom[i]);
        }
    }

    /** Adds one pane's count for a type. */
    @Override
    public void accept(long type, long n) {
        types.put(type, types.get(type) + n);
    }

    /**
     * The window's result from what is merged so far, its totals and its distinct sources (both
     * worked out by the caller). Reads the merge without changing it, so merging may go on for
     * an older window.
     */
    @SuppressWarnings("unchecked")
    WindowResult result(long start, long end, Totals t, long distinctSources, boolean approximate, Interner names) {
        boolean hasValues = t.valueCount > 0;
        double[] p = hasValues ? percentiles.of(values, t.valueCount, t.min, t.max) : null;
        Map<String, Object> customResults = new LinkedHashMap<>();
        for (int i = 0; i < aggregations.length; i++) {
            customResults.put(aggregations[i].name(), aggregations[i].result(custom[i]));
        }
        // results are cached and handed to every later query: nobody may change them
        return new WindowResult(start, end, t.count, t.valueCount, t.sum,
            hasValues ? t.sum / t.valueCount : null,
            hasValues ? t.min : null,
            hasValues ? t.max : null,
            distinctSources, approximate,
            Collections.unmodifiableMap(byType(t.otherTypes, names)),
            hasValues ? p[0] : null,
            hasValues ? p[1] : null,
            hasValues ? p[2] : null,
            Collections.unmodifiableMap(customResults),
            null);
    }

    /** Counts by type name, largest first (ties by name); past the type limit the smallest fold into {@code _other}. */
    private Map<String, Long> byType(long other, Interner names) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(types.size());
        types.forEachLong((type, n) -> entries.add(Map.entry(names.name((int) type), n)));
        entries.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        Map<String, Long> result = new LinkedHashMap<>();
        long folded = other;
        for (int i = 0; i < entries.size(); i++) {
            if (i < typeLimit) {
                result.put(entries.get(i).getKey(), entries.get(i).getValue());
            } else {
                folded += entries.get(i).getValue();
            }
        }
        if (folded > 0) {
            result.put(WindowResult.OTHER, folded);
        }
        return result;
    }

    /**
     * A window's counts, sum, min, max and types past each pane's limit, added up oldest pane
     * first as they always have been, so a sum keeps its last bit whichever path computed it.
     * Reused within a query.
     */
    static final class Totals {
        long count;
        long valueCount;
        double sum;
        double min;
        double max;
        long otherTypes;

        void clear() {
            count = 0;
            valueCount = 0;
            sum = 0.0;
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            otherTypes = 0;
        }

        void add(Pane pane) {
            count += pane.count;
            valueCount += pane.valueCount;
            sum += pane.sum;
            min = Math.min(min, pane.min);
            max = Math.max(max, pane.max);
            otherTypes += pane.otherTypes;
        }
    }
}
