package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventCodec;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.journal.Journal;
import io.streamprocessor.engine.journal.JournalCursor;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.engine.stats.Counter;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands every event that passed the filters (late ones included) to each sink, and the end of
 * each batch. A sink that throws is counted and reported; the other sinks and the pipeline go on.
 * In the per-stage topology this runs beside the window stage: it reads only the verdict of the
 * stages before both, never whether the window stage found the event late.
 *
 * <p>Counts per sink are written by the stage's thread and read by any thread.
 */
final class SinkStage implements Stage {
    private final Sink[] sinks;
    private final ErrorHandler errors;
    /** Events each sink took from its callback without an error. */
    private final Counter[] handed;
    /** Callbacks of each sink that threw. */
    final Counter[] failures;
    /** Stage thread only: whether the sink's last callback threw. */
    private final boolean[] down;
    // Read by any thread, under this stage's monitor; written at a failure and at batch ends.
    private final String[] lastError;
    private final long[] lastErrorAt;
    private final boolean[] failing;
    // Catching up from the journal (sinks whose overflow policy is journal); stage thread, but for behindFrom.
    private final boolean[] catchesUp;
    private Journal journal;
    private EventRecord scratch;
    private final EventCodec codec = new EventCodec();
    /** Per sink: the first position it missed while full, or -1 while it takes live events. Read by any thread. */
    private final AtomicLongArray behindFrom;
    /** Per sink: the last position it missed; the catch-up is done once the cursor passes it. */
    private final long[] missedThrough;
    private final JournalCursor[] cursors;
    private volatile boolean anyBehind;
    /** Stage thread: the position of the last event of the batch so far, handed to the sinks or not. */
    private long lastSeen = -1;
    /** The position through which every event has been handed to the sinks, published at batch ends. */
    private volatile long handedThrough = -1;
    /** The position of the last event this stage has passed, published per event (a release store): for admission. */
    private final java.util.concurrent.atomic.AtomicLong passed = new java.util.concurrent.atomic.AtomicLong(-1);

    SinkStage(Sink[] sinks, ErrorHandler errors) {
        this.sinks = sinks;
        this.errors = errors;
        this.handed = new Counter[sinks.length];
        this.failures = new Counter[sinks.length];
        this.down = new boolean[sinks.length];
        this.lastError = new String[sinks.length];
        this.lastErrorAt = new long[sinks.length];
        this.failing = new boolean[sinks.length];
        this.catchesUp = new boolean[sinks.length];
        this.behindFrom = new AtomicLongArray(sinks.length);
        this.missedThrough = new long[sinks.length];
        this.cursors = new JournalCursor[sinks.length];
        for (int i = 0; i < sinks.length; i++) {
            handed[i] = new Counter();
            failures[i] = new Counter();
            catchesUp[i] = sinks[i].catchesUpFromJournal();
            behindFrom.set(i, -1);
        }
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        EventView e = slot.event.view();
        lastSeen = e.position();
        if (slot.verdict != Outcome.PENDING) {
            passed.lazySet(lastSeen);
            return;
        }
        for (int i = 0; i < sinks.length; i++) {
            if (catchesUp[i] && journal != null && (behindFrom.get(i) >= 0 || !sinks[i].admits(1))) {
                missed(i, e.position());
                continue;
            }
            try {
                sinks[i].onEvent(e);
                handed[i].increment();
                down[i] = false;
            } catch (Throwable t) {
                failed(i, t);
            }
        }
        passed.lazySet(lastSeen);
    }

    /** The position of the last event this stage has handed on (or skipped). Any thread. */
    long passedThrough() {
        return passed.get();
    }

    /** The sink is full: it gets no live events until it has caught up on this one and those after it. */
    private void missed(int i, long position) {
        if (behindFrom.get(i) < 0) {
            behindFrom.set(i, position);
            anyBehind = true;
        }
        missedThrough[i] = position;
    }

    @Override
    public void onEndOfBatch() {
        if (anyBehind) {
            catchUp();
        }
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].onEndOfBatch();
            } catch (Throwable t) {
                failed(i, t);
            }
            handed[i].publish();
            failures[i].publish();
            if (down[i] != failing[i]) {
                synchronized (this) {
                    failing[i] = down[i];
                }
            }
        }
        handedThrough = lastSeen;
    }

    /**
     * Reads each sink that fell behind the events it missed, from the journal, as many as it admits
     * now; once it has them all it takes live events again. At the end of a batch, after the journal
     * stage wrote the batch, so every missed event is readable. Bounded by what the sinks admit, so
     * it never waits.
     */
    private void catchUp() {
        boolean behind = false;
        for (int i = 0; i < sinks.length; i++) {
            long from = behindFrom.get(i);
            if (from < 0) {
                continue;
            }
            try {
                if (cursors[i] == null) {
                    cursors[i] = journal.cursor(from);
                }
                int sink = i;
                boolean more = true;
                while (more && sinks[i].admits(1)) {
                    more = cursors[i].next((kind, position, b, offset, length) -> {
                        if (position > missedThrough[sink]) {
                            return Long.MAX_VALUE; // past what it missed: live events from here
                        }
                        if (kind == JournalStage.PROCESSED || kind == JournalStage.LATE) {
                            codec.decode(b, offset, length, position, scratch);
                            replay(sink, scratch.view());
                        }
                        behindFrom.set(sink, position + 1);
                        return Long.MIN_VALUE;
                    });
                    if (behindFrom.get(i) > missedThrough[i]) {
                        break;
                    }
                }
                if (behindFrom.get(i) > missedThrough[i]) {
                    cursors[i].close();
                    cursors[i] = null;
                    behindFrom.set(i, -1);
                } else {
                    behind = true;
                }
            } catch (Throwable t) {
                failed(i, t);
                behind = true;
            }
        }
        anyBehind = behind;
    }

    /** Whether a sink is reading back from the journal: the stage's batch ends move it on. Any thread. */
    boolean anyBehind() {
        return anyBehind;
    }

    /** The journal to catch sinks up from; before the stage runs. */
    void attach(Journal journal, EventRecord scratch) {
        this.journal = journal;
        this.scratch = scratch;
    }

    /** Before the stage runs: every event up to {@code position} has been handed to the sinks (by a replay). */
    void handedThrough(long position) {
        lastSeen = position;
        handedThrough = position;
        passed.set(position);
    }

    /** Replay, before the stage runs: hands sink {@code i} an event from the journal. */
    void replay(int i, EventView e) {
        try {
            sinks[i].onEvent(e);
            handed[i].increment();
            down[i] = false;
        } catch (Throwable t) {
            failed(i, t);
        }
    }

    /** Replay, before the stage runs: the end of a batch of replayed events, for every sink. */
    void replayEndOfBatch() {
        long seen = lastSeen;
        onEndOfBatch();
        lastSeen = seen;
    }

    /**
     * The position through which sink {@code i} has delivered every event, or given up on it and
     * counted it: the events after it are handed to it again after a crash. Any thread.
     */
    long deliveredThrough(int i) {
        long handed = handedThrough; // read first: the sink holds whatever was handed before it
        long behind = behindFrom.get(i);
        long oldest = Math.min(sinks[i].oldestUndelivered(), behind >= 0 ? behind : Long.MAX_VALUE);
        return oldest == Long.MAX_VALUE ? handed : Math.min(handed, oldest - 1);
    }

    private void failed(int i, Throwable t) {
        failures[i].increment();
        down[i] = true;
        synchronized (this) {
            lastError[i] = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            lastErrorAt[i] = System.currentTimeMillis();
            failing[i] = true;
        }
        errors.onError("sink " + sinks[i].name(), t);
    }

    /**
     * The status of sink {@code i}: its own when it keeps one (adding the callbacks that threw),
     * else the counts of its callbacks. Any thread.
     */
    SinkStatus status(int i) {
        SinkStatus own = sinks[i].status();
        long thrown = failures[i].get();
        String error;
        long at;
        boolean down;
        synchronized (this) {
            error = lastError[i];
            at = lastErrorAt[i];
            down = failing[i];
        }
        if (own == null) {
            return new SinkStatus(handed[i].get(), thrown, 0, 0, error, at, down);
        }
        boolean ownIsLater = own.lastErrorAt() >= at;
        return new SinkStatus(own.written(), own.failed() + thrown, own.dropped(), own.buffered(),
            ownIsLater ? own.lastError() : error, ownIsLater ? own.lastErrorAt() : at, own.failing() || down);
    }
}
