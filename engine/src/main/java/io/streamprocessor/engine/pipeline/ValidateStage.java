package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.stats.Counter;

import java.time.Clock;

/**
 * Applies the event schema and enriches valid events. Counts every event it sees as received, and
 * those that break a rule as rejected, so received = processed + filtered + rejected.
 */
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
    public boolean decidesVerdict() {
        return true;
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        received.increment();
        if (!validator.validate(slot.event, now, sequence)) {
            slot.verdict = Outcome.REJECTED;
            rejected.increment();
        }
    }

    @Override
    public void onEndOfBatch() {
        received.publish();
        rejected.publish();
    }
}
