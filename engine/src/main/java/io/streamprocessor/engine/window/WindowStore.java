package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.aggregate.DistinctCounter;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.Interner;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding event-time windows by stream slicing: one {@link Pane} per slide interval in a ring
 * that spans retention plus one window, exactly one pane updated per event (O(1) whatever the
 * overlap), and each window built on demand by merging its {@code size/slide} panes.
 *
 * <p>Concurrency: {@link #add} is called by the single window-stage thread; {@link #query} by
 * any thread. The caller must hold off {@link #add} while querying (the processor does so with
 * a lock taken once per batch), since panes are mutable.
 */
public final class WindowStore {
    private final WindowSpec spec;
    private final long slide;
    private final long size;
    private final long retention;
    private final int panesPerWindow;
    private final int typeLimit;
    private final int exactSourceLimit;
    @SuppressWarnings("rawtypes")
    private final Aggregation[] aggregations;
    private final Pane[] panes;
    private final int mask;
    private long watermark = Long.MIN_VALUE;

    public WindowStore(WindowSpec spec, int typeLimit, int exactSourceLimit, List<Aggregation<?>> aggregations) {
        this.spec = spec;
        this.slide = spec.slideMillis();
        this.size = spec.sizeMillis();
        this.retention = spec.retentionMillis();
        this.panesPerWindow = spec.panesPerWindow();
        this.typeLimit = typeLimit;
        this.exactSourceLimit = exactSourceLimit;
        this.aggregations = aggregations.toArray(new Aggregation[0]);
        // Live panes p satisfy p*slide + size > watermark - retention and p <= watermark/slide,
        // at most (retention + size)/slide + 1 of them; one more keeps a stale pane from aliasing.
        long live = (retention + size) / slide + 2;
        int capacity = Integer.highestOneBit((int) Math.min(1 << 30, live - 1)) << 1;
        this.panes = new Pane[capacity];
        this.mask = capacity - 1;
    }

    public WindowSpec spec() {
        return spec;
    }

    /** Largest event time aggregated so far; {@link Long#MIN_VALUE} before the first event. */
    public long watermark() {
        return watermark;
    }

    /**
     * Aggregates one event. Returns false, aggregating nothing, when the event is late: every
     * window containing it has been evicted.
     */
    @SuppressWarnings("unchecked")
    public boolean add(EventView e) {
        long t = e.timestamp();
        long p = Math.floorDiv(t, slide);
        if (watermark != Long.MIN_VALUE && p * slide + size <= watermark - retention) {
            return false;
        }
        if (t > watermark) {
            watermark = t;
        }
        int at = (int) (p & mask);
        Pane pane = panes[at];
        if (pane == null) {
            pane = new Pane(typeLimit, exactSourceLimit, aggregations);
            panes[at] = pane;
            pane.reset(p, aggregations);
        } else if (pane.index != p) {
            pane.reset(p, aggregations);
        }
        pane.add(e, aggregations);
        return true;
    }

    /**
     * Every window that holds at least one event and is not evicted, by start ascending.
     *
     * @param types resolves type ids to names
     */
    public List<WindowResult> query(Interner types) {
        if (watermark == Long.MIN_VALUE) {
            return Collections.emptyList();
        }
        long firstWindow = Math.floorDiv(watermark - retention - size, slide) + 1;
        long lastWindow = Math.floorDiv(watermark, slide);
        List<WindowResult> results = new ArrayList<>();
        for (long k = firstWindow; k <= lastWindow; k++) {
            WindowResult r = merge(k, types);
            if (r != null) {
                results.add(r);
            }
        }
        return results;
    }

    /**
     * How many windows {@link #query} would return, without building them: those not evicted that
     * hold at least one event. Same concurrency contract as {@link #query}.
     */
    public int windowCount() {
        if (watermark == Long.MIN_VALUE) {
            return 0;
        }
        long firstWindow = Math.floorDiv(watermark - retention - size, slide) + 1;
        long lastWindow = Math.floorDiv(watermark, slide);
        int n = 0;
        for (long k = firstWindow; k <= lastWindow; k++) {
            for (long p = k; p < k + panesPerWindow; p++) {
                Pane pane = panes[(int) (p & mask)];
                if (pane != null && pane.index == p && pane.count > 0) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private WindowResult merge(long firstPane, Interner types) {
        long count = 0;
        long valueCount = 0;
        double sum = 0.0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long other = 0;
        Long2LongHashMap typeCounts = null;
        DistinctCounter sources = null;
        DDSketch values = null;
        Object[] custom = null;
        for (long p = firstPane; p < firstPane + panesPerWindow; p++) {
            Pane pane = panes[(int) (p & mask)];
            if (pane == null || pane.index != p || pane.count == 0) {
                continue;
            }
            if (typeCounts == null) {
                typeCounts = new Long2LongHashMap(0);
                sources = new DistinctCounter(exactSourceLimit);
                values = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
                custom = new Object[aggregations.length];
                for (int i = 0; i < aggregations.length; i++) {
                    custom[i] = aggregations[i].createState();
                }
            }
            count += pane.count;
            valueCount += pane.valueCount;
            sum += pane.sum;
            min = Math.min(min, pane.min);
            max = Math.max(max, pane.max);
            other += pane.otherTypes;
            Long2LongHashMap into = typeCounts;
            pane.types.forEach((type, n) -> into.put(type, into.get(type) + n));
            sources.mergeFrom(pane.sources);
            if (pane.valueCount > 0) {
                values.mergeWith(pane.values);
            }
            for (int i = 0; i < aggregations.length; i++) {
                aggregations[i].merge(custom[i], pane.custom[i]);
            }
        }
        if (count == 0) {
            return null;
        }
        boolean hasValues = valueCount > 0;
        Map<String, Object> customResults = new LinkedHashMap<>();
        for (int i = 0; i < aggregations.length; i++) {
            customResults.put(aggregations[i].name(), aggregations[i].result(custom[i]));
        }
        long start = firstPane * slide;
        return new WindowResult(start, start + size, count, valueCount, sum,
            hasValues ? sum / valueCount : null,
            hasValues ? min : null,
            hasValues ? max : null,
            sources.estimate(), sources.isApproximate(),
            byType(typeCounts, other, types),
            hasValues ? percentile(values, 50, valueCount, min, max) : null,
            hasValues ? percentile(values, 95, valueCount, min, max) : null,
            hasValues ? percentile(values, 99, valueCount, min, max) : null,
            customResults);
    }

    /**
     * The nearest-rank percentile: the ⌈p·n/100⌉-th smallest of the n values, within the sketch's
     * relative accuracy, and never outside {@code [min, max]} (which are exact). The rank is
     * computed in integers, so p99 of 100 values is the 99th, not the 100th through rounding.
     */
    static double percentile(DDSketch values, int percent, long n, double min, double max) {
        long rank = Math.max(1, (percent * n + 99) / 100);
        if (rank >= n) {
            return max;
        }
        if (rank == 1) {
            return min;
        }
        // DDSketch returns the bucket holding the value of 0-based rank q·(count-1), the first whose
        // cumulative count exceeds it; asking for rank - 0.5 lands on the rank-th smallest exactly.
        double v = values.getValueAtQuantile((rank - 0.5) / (n - 1));
        return Math.max(min, Math.min(max, v));
    }

    /** Counts by type name, largest first (ties by name); past the type limit the smallest fold into {@code _other}. */
    private Map<String, Long> byType(Long2LongHashMap counts, long other, Interner types) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.size());
        counts.forEachLong((type, n) -> entries.add(Map.entry(types.name((int) type), n)));
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
}
