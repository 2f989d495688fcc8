package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.stats.LatencyRecorder;

/**
 * The last stage: records each event's latency from its request's arrival and tells the
 * request its outcome, which completes the request once its last event is through. The clock
 * is read once per 64 events rather than per event.
 */
final class CompletionStage implements Stage {
    private static final int CLOCK_EVERY = 64;
    private final LatencyRecorder latency;
    private long nowNanos;
    private int sinceClock;

    CompletionStage(LatencyRecorder latency) {
        this.latency = latency;
    }

    @Override
    public void onBatchStart(long batchSize) {
        nowNanos = System.nanoTime();
        sinceClock = 0;
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        if (++sinceClock == CLOCK_EVERY) {
            nowNanos = System.nanoTime();
            sinceClock = 0;
        }
        latency.recordNanos(nowNanos - slot.arrivalNanos);
        IngestRequest request = slot.request;
        if (request != null) {
            request.onEventDone(slot);
        }
    }
}
