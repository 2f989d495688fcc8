package io.streamprocessor.engine.pipeline;

/**
 * The producer's handle on one ingestion (a single event or a batch): the completion stage
 * tallies each of its events' outcomes here and calls {@link #onComplete()} once the last one
 * has passed every stage, which is what makes read-your-writes hold for whoever waits on it.
 *
 * <p>Concurrency: {@link #reset} is called by the producer before publishing; the tallies and
 * {@link #onComplete()} run on the completion stage's thread only, after the ring's sequence
 * hand-over. Subclasses are meant to be pooled by the producer (one per in-flight request), so
 * nothing is allocated per request in steady state; only rejections allocate their message.
 */
public abstract class IngestRequest {
    /** At most this many per-event errors are kept for the response. */
    public static final int MAX_ERRORS = 100;

    private final int[] errorIndex = new int[MAX_ERRORS];
    private final String[] errorMessage = new String[MAX_ERRORS];
    private int expected;
    private int done;
    private int processed;
    private int filtered;
    private int rejected;
    private int late;
    private int errors;
    private long arrivalNanos;

    /** Prepares for {@code events} events; call before publishing them. */
    final void reset(int events, long arrivalNanos) {
        this.expected = events;
        this.arrivalNanos = arrivalNanos;
        done = 0;
        processed = 0;
        filtered = 0;
        rejected = 0;
        late = 0;
        for (int i = 0; i < errors; i++) {
            errorMessage[i] = null;
        }
        errors = 0;
    }

    /** Called by the completion stage for each of this request's events, in ring order. */
    final void onEventDone(Slot slot) {
        switch (slot.outcome()) {
            case PROCESSED -> processed++;
            case LATE -> {
                processed++;
                late++;
            }
            case FILTERED -> filtered++;
            case REJECTED -> {
                rejected++;
                if (errors < MAX_ERRORS) {
                    errorIndex[errors] = slot.requestIndex;
                    errorMessage[errors] = slot.event.rejectionMessage();
                    errors++;
                }
            }
            default -> throw new IllegalStateException("event completed while " + slot.outcome());
        }
        if (++done == expected) {
            onComplete();
        }
    }

    /** Runs on the completion stage's thread once every event of the request is done. Must not block. */
    protected abstract void onComplete();

    public final int expected() {
        return expected;
    }

    /** Events that passed the filters, late ones included. */
    public final int processed() {
        return processed;
    }

    public final int filtered() {
        return filtered;
    }

    public final int rejected() {
        return rejected;
    }

    /** Processed events that fell only in evicted windows. */
    public final int late() {
        return late;
    }

    /** Number of recorded errors, at most {@link #MAX_ERRORS}. */
    public final int errorCount() {
        return errors;
    }

    /** Index within the request of the i-th recorded error. */
    public final int errorIndex(int i) {
        return errorIndex[i];
    }

    public final String errorMessage(int i) {
        return errorMessage[i];
    }

    public final long arrivalNanos() {
        return arrivalNanos;
    }
}
