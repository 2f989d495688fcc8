package io.streamprocessor.engine.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-writer counter that is cheap on the hot path: the owning stage increments a plain
 * field and {@link #publish()}es it once per batch with a release store; any thread may
 * {@link #get()} the last published value. Publishing before the stage's ring sequence advances
 * is what lets a reader that has seen the sequence also see the count.
 */
public final class Counter {
    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(Counter.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long local;
    @SuppressWarnings("unused")
    private volatile long published;

    /** Writer only. */
    public void increment() {
        local++;
    }

    /** Writer only. */
    public void add(long n) {
        local += n;
    }

    /** Writer only: sets the value (for gauges such as a last-seen time). */
    public void set(long value) {
        local = value;
    }

    /** Writer only: makes the increments so far visible to readers. */
    public void publish() {
        PUBLISHED.setRelease(this, local);
    }

    /** Any thread: the last published value. */
    public long get() {
        return published;
    }
}
