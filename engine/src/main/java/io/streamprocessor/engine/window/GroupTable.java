package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * One pane's aggregates per group (per type or per source, by interned id): count, values
 * counted, sum, min, max and a value sketch of the window's accuracy. At most {@code limit}
 * groups per pane; events of later new groups, and of ids the interner could not hold (-1),
 * go to the pane's {@link #OTHER} slot. Slots, their arrays and their sketches are kept when the
 * pane is reused, so a pane in steady state adds without allocating.
 *
 * <p>Not thread-safe: written by the window stage's thread, read by queries under the store's lock.
 */
final class GroupTable {
    /** The id under which events past the limit, or without an interned id, are counted. */
    static final int OTHER = -1;

    private final int limit;
    private final Int2IntHashMap slots = new Int2IntHashMap(16, 0.65f, -1);
    /** Slots in use, {@link #OTHER}'s included; slot i belongs to {@code ids[i]}. */
    int size;
    /** Groups with a name of their own (not {@link #OTHER}) in use. */
    private int named;
    int[] ids = new int[4];
    long[] count = new long[4];
    long[] valueCount = new long[4];
    double[] sum = new double[4];
    double[] min = new double[4];
    double[] max = new double[4];
    DDSketch[] values = new DDSketch[4];

    GroupTable(int limit) {
        this.limit = limit;
    }

    void reset() {
        if (slots.capacity() > 4 * (limit + 1)) {
            slots.compact();
        }
        slots.clear();
        size = 0;
        named = 0;
    }

    /** Counts one event of group {@code id}; {@code clamped} is its value as the sketch takes it. */
    void add(int id, boolean hasValue, double v, double clamped) {
        int slot = id < 0 ? slots.get(OTHER) : slots.get(id);
        if (slot < 0) {
            if (id >= 0 && named < limit) {
                named++;
            } else {
                id = OTHER;
                slot = slots.get(OTHER);
            }
            if (slot < 0) {
                slot = take(id);
            }
        }
        count[slot]++;
        if (hasValue) {
            valueCount[slot]++;
            sum[slot] += v;
            if (v < min[slot]) {
                min[slot] = v;
            }
            if (v > max[slot]) {
                max[slot] = v;
            }
            values[slot].accept(clamped);
        }
    }

    /** The slot of group {@code id} ({@link #OTHER} included), or -1 when this pane has none. */
    int slot(int id) {
        return slots.get(id);
    }

    private int take(int id) {
        int slot = size++;
        if (slot == ids.length) {
            int n = 2 * slot;
            ids = Arrays.copyOf(ids, n);
            count = Arrays.copyOf(count, n);
            valueCount = Arrays.copyOf(valueCount, n);
            sum = Arrays.copyOf(sum, n);
            min = Arrays.copyOf(min, n);
            max = Arrays.copyOf(max, n);
            values = Arrays.copyOf(values, n);
        }
        slots.put(id, slot);
        ids[slot] = id;
        count[slot] = 0;
        valueCount[slot] = 0;
        sum[slot] = 0.0;
        min[slot] = Double.POSITIVE_INFINITY;
        max[slot] = Double.NEGATIVE_INFINITY;
        if (values[slot] == null) {
            values[slot] = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
        } else {
            values[slot].clear();
        }
        return slot;
    }
}
