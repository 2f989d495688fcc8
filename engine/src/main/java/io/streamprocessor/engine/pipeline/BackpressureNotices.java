package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.stats.Notices;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Says when backpressure starts (a claim refused because the ring is full or a sink is behind)
 * and when it ends (the next claim taken), one line each, never one per refused request. Flapping
 * is rate-limited: at most one start line (with its end line) per {@link #QUIET_NANOS}; the episodes
 * in between are counted and told with the next start line.
 *
 * <p>Threads: every producer thread calls it from {@link Ingestor#claim}. A taken claim costs one
 * volatile read while there is no backpressure; the rest happens only on a transition.
 */
final class BackpressureNotices {
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Notices notices;
    private final LongAdder refused = new LongAdder();
    /** Written only under the lock, so that transitions, and their lines, come strictly in turn. */
    private volatile boolean active;
    // Guarded by this.
    private long startedNanos;
    private long refusedBefore;
    private long lastLineNanos = System.nanoTime() - QUIET_NANOS;
    private boolean told;
    private long untold;

    BackpressureNotices(Notices notices) {
        this.notices = notices;
    }

    /** A claim was refused for want of room: {@code reason} in words for a client. */
    void refused(String reason) {
        refused.increment();
        if (!active) {
            synchronized (this) {
                if (!active) {
                    active = true;
                    long now = System.nanoTime();
                    startedNanos = now;
                    refusedBefore = refused.sum() - 1;
                    told = now - lastLineNanos >= QUIET_NANOS;
                    if (told) {
                        lastLineNanos = now;
                        notices.warn("backpressure started: " + reason.replace(", retry later", "")
                            + "; new events get 503 with Retry-After until there is room"
                            + (untold > 0 ? " (" + untold + " more times since the last such line, not told one by one)" : ""));
                        untold = 0;
                    } else {
                        untold++;
                    }
                }
            }
        }
    }

    /** A claim was taken. */
    void taken() {
        if (active) {
            synchronized (this) {
                if (active) {
                    active = false;
                    if (told) {
                        notices.info(String.format(java.util.Locale.ROOT,
                            "backpressure ended after %,d ms; %,d requests refused meanwhile",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), refused.sum() - refusedBefore));
                    }
                }
            }
        }
    }
}
