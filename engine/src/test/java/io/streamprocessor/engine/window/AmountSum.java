package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.event.DataTape;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;

import java.util.Map;

/** Sums the integral {@code data.amount} of the window's events and counts them; anything else is ignored. */
final class AmountSum implements Aggregation<long[]> {
    private static final FieldPath AMOUNT = FieldPath.of("amount");

    @Override
    public String name() {
        return "amount";
    }

    @Override
    public long[] createState() {
        return new long[2];
    }

    @Override
    public void accumulate(long[] state, EventView event) {
        DataTape d = event.data();
        int t = d.find(AMOUNT);
        if (t >= 0 && d.kind(t) == DataTape.INTEGER) {
            state[0] += d.longValue(t);
            state[1]++;
        }
    }

    @Override
    public void merge(long[] target, long[] source) {
        target[0] += source[0];
        target[1] += source[1];
    }

    @Override
    public void reset(long[] state) {
        state[0] = 0;
        state[1] = 0;
    }

    @Override
    public Object result(long[] merged) {
        return Map.of("sum", merged[0], "events", merged[1]);
    }
}
