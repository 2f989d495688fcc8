package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventSlot;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.stats.Counter;

import java.time.Clock;

/** Applies the event schema and enriches valid events; counts received and rejected. */
final class ValidateStage implements Stage {
    private final Validator validator;
    private final Clock clock;
    final Counter received = new Counter();
    final Counter rejected = new Counter();
    private long now;

    ValidateStage(Validator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    @Override
    public void onBatchStart(long batchSize) {
        now = clock.millis();
    }

    @Override
    public void onEvent(EventSlot slot, long sequence) {
        slot.sequence(sequence);
        if (validator.validate(slot, now)) {
            received.increment();
        } else if (slot.countsRejection()) {
            received.increment();
            rejected.increment();
        }
    }

    @Override
    public void onEndOfBatch() {
        received.publish();
        rejected.publish();
    }
}
