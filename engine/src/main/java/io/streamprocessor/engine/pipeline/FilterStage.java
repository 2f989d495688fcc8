package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventSlot;
import io.streamprocessor.engine.event.Outcome;
import io.streamprocessor.engine.stats.Counter;

/** Runs the filters in order; the first that says no drops the event. Counts filtered events. */
final class FilterStage implements Stage {
    private final EventFilter[] filters;
    final Counter filtered = new Counter();

    FilterStage(EventFilter[] filters) {
        this.filters = filters;
    }

    @Override
    public void onEvent(EventSlot slot, long sequence) {
        if (slot.outcome() != Outcome.PENDING) {
            return;
        }
        for (EventFilter f : filters) {
            if (!f.test(slot)) {
                slot.outcome(Outcome.FILTERED);
                filtered.increment();
                return;
            }
        }
    }

    @Override
    public void onEndOfBatch() {
        filtered.publish();
    }
}
