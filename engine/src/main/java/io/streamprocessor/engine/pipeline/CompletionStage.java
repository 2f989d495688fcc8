package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.stats.LatencyRecorder;

/**
 * The last stage: records each event's latency from its request's arrival and tells the
 * request its outcome, which completes the request once its last event is through. The clock
 * is read at the first completion of each batch and then once per 64 events, rather than per event.
 * Consecutive events of the same latency (in whole microseconds: the events of one request, as a
 * rule) are recorded as one value with their count, at the latest at the end of the batch, where
 * reads wait: each recording costs the recorder two atomic increments.
 *
 * <p>With a journal, a request may be answered only once its events are written, which the
 * journal stage does at the end of each batch; when it shares a thread with this stage the
 * outcomes are therefore held until the batch ends (the journal stage's end of batch runs first).
 */
final class CompletionStage implements Stage {
    private static final int CLOCK_EVERY = 64;
    private final LatencyRecorder latency;
    private final boolean deferred;
    private Slot[] held = new Slot[64];
    private int heldCount;
    private long nowNanos;
    private int sinceClock;
    /** The latency, in microseconds, of the run of events not recorded yet, and their number. */
    private long runMicros;
    private long runCount;
    /** The sequence of the last event of the batch so far. */
    private long batchLast = -1;
    /** The highest sequence completed; written by this stage's thread only, read by queries. */
    @SuppressWarnings("unused")
    private volatile long completedThrough = -1;
    private static final java.lang.invoke.VarHandle COMPLETED_THROUGH;

    static {
        try {
            COMPLETED_THROUGH = java.lang.invoke.MethodHandles.lookup()
                .findVarHandle(CompletionStage.class, "completedThrough", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param deferred hold outcomes until the end of the batch */
    CompletionStage(LatencyRecorder latency, boolean deferred) {
        this.latency = latency;
        this.deferred = deferred;
    }

    @Override
    public void onBatchStart(long batchSize) {
        // The clock is read at the batch's first completion, not here: on a thread that runs the
        // other stages too, the batch's start comes before any of them has worked on its events.
        sinceClock = CLOCK_EVERY - 1;
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        batchLast = sequence;
        if (deferred) {
            if (heldCount == held.length) {
                held = java.util.Arrays.copyOf(held, heldCount * 2);
            }
            held[heldCount++] = slot;
            return;
        }
        // Before the request can be answered: a client's read after its answer waits for this sequence.
        COMPLETED_THROUGH.setRelease(this, sequence);
        time(slot);
        IngestRequest request = slot.request;
        if (request != null) {
            request.onEventDone(slot);
        }
    }

    /**
     * The highest ring sequence whose event's outcome was told to its request: every request
     * answered so far has all its events at or below it. Any thread.
     */
    long completedThrough() {
        return (long) COMPLETED_THROUGH.getAcquire(this);
    }

    /** Adds the event's latency to the run of equal latencies, recording the run first if it differs. */
    private void time(Slot slot) {
        if (++sinceClock == CLOCK_EVERY) {
            nowNanos = System.nanoTime();
            sinceClock = 0;
        }
        long micros = LatencyRecorder.micros(nowNanos - slot.arrivalNanos);
        if (micros != runMicros) {
            recordRun();
            runMicros = micros;
        }
        runCount++;
    }

    private void recordRun() {
        if (runCount > 0) {
            latency.recordMicros(runMicros, runCount);
            runCount = 0;
        }
    }

    @Override
    public void onEndOfBatch() {
        if (heldCount > 0) {
            nowNanos = System.nanoTime();
            sinceClock = 0;
            for (int i = 0; i < heldCount; i++) {
                time(held[i]);
            }
        }
        recordRun();
        if (heldCount > 0) {
            COMPLETED_THROUGH.setRelease(this, batchLast);
        }
        for (int i = 0; i < heldCount; i++) {
            IngestRequest request = held[i].request;
            if (request != null) {
                request.onEventDone(held[i]);
            }
            held[i] = null;
        }
        heldCount = 0;
    }
}
