package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.streamprocessor.engine.event.Rejection;
import io.streamprocessor.engine.stats.Counter;

/**
 * A Disruptor handler running one or more {@link Stage}s in order on one thread. It never lets
 * an exception escape: every error is reported and the batch goes on, so every batch's start and
 * end callbacks stay paired (the window stage holds a lock between them). An error in a stage that
 * {@link Stage#decidesVerdict() decides the verdict} rejects the event; one in a later stage leaves
 * the event processed, as its sinks may already have it.
 */
final class StageHandler implements EventHandler<Slot> {
    private final Stage[] stages;
    private final ErrorHandler errors;
    /** Events this handler rejected because a stage threw on them. */
    final Counter failed = new Counter();

    StageHandler(ErrorHandler errors, Stage... stages) {
        this.stages = stages;
        this.errors = errors;
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        for (Stage s : stages) {
            s.onBatchStart(batchSize);
        }
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
        if (!slot.isVoid) {
            for (Stage s : stages) {
                try {
                    s.onEvent(slot, sequence);
                } catch (Throwable t) {
                    if (s.decidesVerdict() && slot.verdict == Outcome.PENDING) {
                        slot.event.writer().reject(Rejection.PIPELINE_ERROR);
                        slot.verdict = Outcome.REJECTED;
                        failed.increment();
                    }
                    errors.onError(s.getClass().getSimpleName(), t);
                }
            }
        }
        if (endOfBatch) {
            failed.publish();
            for (Stage s : stages) {
                try {
                    s.onEndOfBatch();
                } catch (Throwable t) {
                    errors.onError(s.getClass().getSimpleName(), t);
                }
            }
        }
    }
}
