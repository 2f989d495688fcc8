package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;

/**
 * One pre-allocated entry of the ring: the {@link EventRecord} the producer writes, and what the
 * stages decide about it, which only stages see.
 *
 * <p>Concurrency: handed from the producer to each stage in turn by the ring's sequences. Where
 * two stages run side by side (the window and sink stages of {@link Topology#PER_STAGE}), each
 * field has at most one of them as its writer and the other never reads it: the verdict is final
 * before either runs, and only the window stage writes {@link #late}.
 */
final class Slot {
    final EventRecord event;

    // the producer's, set at claim
    /** True when the slot carries no event: every stage skips it and nothing is counted. */
    boolean isVoid = true;
    IngestRequest request;
    int requestIndex;
    long arrivalNanos;

    // the stages'
    /**
     * {@link Outcome#PENDING} while the event is on its way; {@link Outcome#REJECTED} (validation, or a
     * stage that threw) or {@link Outcome#FILTERED} once decided. Written by the stages up to the
     * transform stage only.
     */
    Outcome verdict = Outcome.PENDING;
    /** Passed the filters but fell only in evicted windows; written by the window stage only. */
    boolean late;

    Slot(FieldPath valuePath, int maxDataTokens, int maxDataBytes) {
        this.event = new EventRecord(valuePath, maxDataTokens, maxDataBytes);
    }

    /** Prepares the slot for a new event of {@code request}, at {@code index} within it. */
    void begin(IngestRequest request, int index, long receivedAt, long arrivalNanos, long position) {
        this.isVoid = false;
        this.request = request;
        this.requestIndex = index;
        this.arrivalNanos = arrivalNanos;
        this.verdict = Outcome.PENDING;
        this.late = false;
        event.begin(receivedAt, position);
    }

    /** Marks the slot as carrying no event, for a batch whose body turned out malformed after its slots were claimed. */
    void markVoid() {
        isVoid = true;
        request = null;
    }

    /** What became of the event, once every stage has seen it. */
    Outcome outcome() {
        if (verdict != Outcome.PENDING) {
            return verdict;
        }
        return late ? Outcome.LATE : Outcome.PROCESSED;
    }
}
