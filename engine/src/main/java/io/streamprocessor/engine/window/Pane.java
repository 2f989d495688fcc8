package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.aggregate.DistinctCounter;
import io.streamprocessor.engine.event.EventView;
import org.agrona.collections.Long2LongCounterMap;

/**
 * The aggregates of one slide interval: every event lands in exactly one pane, and a window is
 * the merge of its consecutive panes. Primitive counters plus bounded maps and sketches, all
 * mergeable. Reused for later intervals; owned by the window stage's thread, read by queries
 * under the store's lock. A pane also holds the cached result of the window that starts at it
 * (see {@link WindowStore#query}).
 */
final class Pane {
    /** Relative accuracy of the value quantiles: 1%. */
    static final double QUANTILE_ACCURACY = 0.01;
    /** Largest magnitude the sketch accepts; it throws past it, so larger values go in clamped to it. */
    private static final double SKETCH_RANGE =
        DDSketches.unboundedDense(QUANTILE_ACCURACY).getIndexMapping().maxIndexableValue();
    long index = Long.MIN_VALUE;
    /** The store's modification count at this pane's last add: what a query compares to find changed panes. */
    long stamp;
    /** The window starting at this pane as last computed; null when it held no event. */
    WindowResult window;
    /** Whether {@link #window} is current: no pane of that window has changed since it was computed. */
    boolean windowCurrent;
    long count;
    long valueCount;
    double sum;
    double min;
    double max;
    final Long2LongCounterMap types = new Long2LongCounterMap(16, 0.65f, 0);
    /** Events whose type did not fit under the type limit; reported as {@code _other}. */
    long otherTypes;
    final DistinctCounter sources;
    final DDSketch values = DDSketches.unboundedDense(QUANTILE_ACCURACY);
    final Object[] custom;
    /** Per-type and per-source aggregates; null until grouping by that is asked for (see {@link WindowStore#query}). */
    GroupTable typeGroups;
    GroupTable sourceGroups;
    private final int typeLimit;
    private final int sourceGroupLimit;

    Pane(int typeLimit, int exactSourceLimit, int sourceGroupLimit, Aggregation<?>[] aggregations) {
        this.typeLimit = typeLimit;
        this.sourceGroupLimit = sourceGroupLimit;
        this.sources = new DistinctCounter(exactSourceLimit);
        this.custom = new Object[aggregations.length];
        for (int i = 0; i < aggregations.length; i++) {
            custom[i] = aggregations[i].createState();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void reset(long newIndex, Aggregation[] aggregations) {
        index = newIndex;
        window = null;
        windowCurrent = false;
        count = 0;
        valueCount = 0;
        sum = 0.0;
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
        if (types.capacity() > 4 * typeLimit) {
            types.compact();
        }
        types.clear();
        otherTypes = 0;
        sources.reset();
        values.clear();
        if (typeGroups != null) {
            typeGroups.reset();
        }
        if (sourceGroups != null) {
            sourceGroups.reset();
        }
        for (int i = 0; i < aggregations.length; i++) {
            aggregations[i].reset(custom[i]);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void add(EventView e, Aggregation[] aggregations) {
        count++;
        if (e.hasValue()) {
            double v = e.value();
            valueCount++;
            sum += v;
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
            values.accept(clamp(v));
        }
        int type = e.typeId();
        if (type < 0 || (types.size() >= typeLimit && types.get(type) == 0)) {
            otherTypes++;
        } else {
            types.incrementAndGet(type);
        }
        sources.add(e.sourceHash());
        for (int i = 0; i < aggregations.length; i++) {
            aggregations[i].accumulate(custom[i], e);
        }
    }

    /** Counts the event in its type's and/or its source's group; only called once grouping was asked for. */
    void addToGroups(EventView e, boolean byType, boolean bySource) {
        boolean hasValue = e.hasValue();
        double v = hasValue ? e.value() : 0.0;
        double clamped = hasValue ? clamp(v) : 0.0;
        if (byType) {
            if (typeGroups == null) {
                typeGroups = new GroupTable(typeLimit);
            }
            typeGroups.add(e.typeId(), hasValue, v, clamped);
        }
        if (bySource) {
            if (sourceGroups == null) {
                sourceGroups = new GroupTable(sourceGroupLimit);
            }
            sourceGroups.add(e.sourceId(), hasValue, v, clamped);
        }
    }

    private static double clamp(double v) {
        return Math.max(-SKETCH_RANGE, Math.min(SKETCH_RANGE, v));
    }
}
