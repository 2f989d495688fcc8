package io.streamprocessor.engine.aggregate;

import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;

/**
 * Custom aggregation counting the distinct values of one {@code data} member per window, e.g.
 * unique users via {@code data.userId}: exact up to a limit, then a HyperLogLog estimate.
 * Strings and numbers are both counted (the number 7 and the string "7" are different values);
 * events without the member are ignored.
 */
public final class DistinctValues implements Aggregation<DistinctCounter> {
    private final String name;
    private final FieldPath path;
    private final int exactLimit;

    public DistinctValues(String name, String path, int exactLimit) {
        this.name = name;
        this.path = FieldPath.of(path);
        this.exactLimit = exactLimit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DistinctCounter createState() {
        return new DistinctCounter(exactLimit);
    }

    @Override
    public void accumulate(DistinctCounter state, EventView event) {
        DataTape d = event.data();
        int t = d.find(path);
        if (t < 0) {
            return;
        }
        byte kind = d.kind(t);
        if (kind == DataTape.STRING) {
            state.add(d.textHash64(t));
        } else if (kind == DataTape.INTEGER || kind == DataTape.FLOAT) {
            double v = d.doubleValue(t);
            // numbers hash apart from strings; 1 and 1.0 are the same number
            state.add(mix(Double.doubleToLongBits(v == 0.0 ? 0.0 : v) ^ 0x9E3779B97F4A7C15L));
        }
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public void merge(DistinctCounter target, DistinctCounter source) {
        target.mergeFrom(source);
    }

    @Override
    public void reset(DistinctCounter state) {
        state.reset();
    }

    @Override
    public Object result(DistinctCounter merged) {
        return merged.estimate();
    }
}
