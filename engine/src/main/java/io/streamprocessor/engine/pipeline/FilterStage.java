package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.stats.Counter;

/** Runs the filters in order on the read-only view; the first that says no drops the event. Counts filtered events. */
final class FilterStage implements Stage {
    private final EventFilter[] filters;
    final Counter filtered = new Counter();

    FilterStage(EventFilter[] filters) {
        this.filters = filters;
    }

    @Override
    public boolean decidesVerdict() {
        return true;
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        if (slot.verdict != Outcome.PENDING) {
            return;
        }
        for (EventFilter f : filters) {
            if (!f.test(slot.event.view())) {
                slot.verdict = Outcome.FILTERED;
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
