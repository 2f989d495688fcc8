package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.stats.Counter;

/**
 * Applies the transforms and steps, in the order they were added, to events that passed the
 * filters; a step that says no drops the event, counted as filtered.
 */
final class TransformStage implements Stage {
    private final EventStep[] steps;
    final Counter filtered = new Counter();

    TransformStage(EventStep[] steps) {
        this.steps = steps;
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
        for (EventStep s : steps) {
            if (!s.apply(slot.event.mutable())) {
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
