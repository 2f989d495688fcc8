package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.Counter;

/**
 * Hands every event that passed the filters (late ones included) to each sink, and the end of
 * each batch. A sink that throws is counted and reported; the other sinks and the pipeline go on.
 * In the per-stage topology this runs beside the window stage: it reads only the verdict of the
 * stages before both, never whether the window stage found the event late.
 */
final class SinkStage implements Stage {
    private final Sink[] sinks;
    private final ErrorHandler errors;
    final Counter[] failures;

    SinkStage(Sink[] sinks, ErrorHandler errors) {
        this.sinks = sinks;
        this.errors = errors;
        this.failures = new Counter[sinks.length];
        for (int i = 0; i < sinks.length; i++) {
            failures[i] = new Counter();
        }
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        if (slot.verdict != Outcome.PENDING) {
            return;
        }
        EventView e = slot.event.view();
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].onEvent(e);
            } catch (Throwable t) {
                failures[i].increment();
                errors.onError("sink " + sinks[i].name(), t);
            }
        }
    }

    @Override
    public void onEndOfBatch() {
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].onEndOfBatch();
            } catch (Throwable t) {
                failures[i].increment();
                errors.onError("sink " + sinks[i].name(), t);
            }
            failures[i].publish();
        }
    }
}
