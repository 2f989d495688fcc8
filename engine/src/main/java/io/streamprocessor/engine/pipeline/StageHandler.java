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
    private static final int VALIDATE = 0;
    private static final int FILTER = 1;
    private static final int TRANSFORM = 2;
    private static final int WINDOW = 3;
    private static final int SINK = 4;
    private static final int JOURNAL = 5;
    private static final int COMPLETION = 6;
    private static final int OTHER = 7;

    private final Stage[] stages;
    /** Each stage's class, as one of the constants above, so that {@link #run} calls it directly. */
    private final int[] kinds;
    private final ErrorHandler errors;
    /** Events this handler rejected because a stage threw on them. */
    final Counter failed = new Counter();

    StageHandler(ErrorHandler errors, Stage... stages) {
        this.stages = stages;
        this.errors = errors;
        this.kinds = new int[stages.length];
        for (int i = 0; i < stages.length; i++) {
            kinds[i] = kind(stages[i]);
        }
    }

    private static int kind(Stage s) {
        if (s instanceof ValidateStage) {
            return VALIDATE;
        } else if (s instanceof FilterStage) {
            return FILTER;
        } else if (s instanceof TransformStage) {
            return TRANSFORM;
        } else if (s instanceof WindowStage) {
            return WINDOW;
        } else if (s instanceof SinkStage) {
            return SINK;
        } else if (s instanceof JournalStage) {
            return JOURNAL;
        } else if (s instanceof CompletionStage) {
            return COMPLETION;
        }
        return OTHER;
    }

    /**
     * Runs one stage on one event. A call through {@link Stage} from one loop over five or six
     * classes dispatches through the interface's table on every call (about a tenth of the stage
     * thread's time with one thread for all stages); a call per class is direct and can be inlined.
     */
    private static void run(Stage s, int kind, Slot slot, long sequence) {
        switch (kind) {
            case VALIDATE -> ((ValidateStage) s).onEvent(slot, sequence);
            case FILTER -> ((FilterStage) s).onEvent(slot, sequence);
            case TRANSFORM -> ((TransformStage) s).onEvent(slot, sequence);
            case WINDOW -> ((WindowStage) s).onEvent(slot, sequence);
            case SINK -> ((SinkStage) s).onEvent(slot, sequence);
            case JOURNAL -> ((JournalStage) s).onEvent(slot, sequence);
            case COMPLETION -> ((CompletionStage) s).onEvent(slot, sequence);
            default -> s.onEvent(slot, sequence);
        }
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
            for (int i = 0; i < stages.length; i++) {
                Stage s = stages[i];
                try {
                    run(s, kinds[i], slot, sequence);
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
