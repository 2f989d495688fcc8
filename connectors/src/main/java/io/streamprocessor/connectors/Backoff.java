package io.streamprocessor.connectors;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between attempts: the n-th wait after a failure is drawn
 * uniformly from [d/2, d] with d = min(initial · 2^(n-1), max), so many sinks failing together do
 * not retry in step. {@link #reset()} after a success. Not thread-safe: one per sink thread.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long next;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.next = initialMillis;
    }

    /** The wait before the next attempt, in ms; each call doubles the next one, up to the maximum. */
    public long nextDelayMillis() {
        long d = next;
        next = Math.min(maxMillis, next * 2);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    /** After a success: the next failure waits the initial delay again. */
    public void reset() {
        next = initialMillis;
    }
}
