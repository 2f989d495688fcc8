package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventSlot;
import io.streamprocessor.engine.event.Outcome;

/** Applies the transforms, in order, to events that passed the filters. */
final class TransformStage implements Stage {
    private final EventTransform[] transforms;

    TransformStage(EventTransform[] transforms) {
        this.transforms = transforms;
    }

    @Override
    public void onEvent(EventSlot slot, long sequence) {
        if (slot.outcome() != Outcome.PENDING) {
            return;
        }
        for (EventTransform t : transforms) {
            t.apply(slot);
        }
    }
}
