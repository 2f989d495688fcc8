package io.streamprocessor.engine.stats;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ticks a {@link LatencyRecorder} just after every slot boundary of its clock, on one daemon
 * thread of its own that sleeps in between (one wake-up every {@value LatencyRecorder#SLOT_MILLIS}
 * ms, a few microseconds of work each), so the recent view stays right between queries.
 * Thread-safe; {@link #close()} stops it.
 */
public final class LatencyTicker implements AutoCloseable {
    /** How long after a boundary to tick, so a timer that fires a little early still lands in the new slot. */
    private static final long AFTER_BOUNDARY_MILLIS = 2;
    private final LatencyRecorder recorder;
    private final ScheduledThreadPoolExecutor timer;

    private LatencyTicker(LatencyRecorder recorder, String threadName) {
        this.recorder = recorder;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts ticking {@code recorder} on a new daemon thread named {@code threadName}. */
    public static LatencyTicker start(LatencyRecorder recorder, String threadName) {
        LatencyTicker t = new LatencyTicker(recorder, threadName);
        t.scheduleNext();
        return t;
    }

    private void scheduleNext() {
        long now = recorder.clock().millis();
        long delay = LatencyRecorder.SLOT_MILLIS - Math.floorMod(now, LatencyRecorder.SLOT_MILLIS) + AFTER_BOUNDARY_MILLIS;
        try {
            timer.schedule(this::tickAndReschedule, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed meanwhile
        }
    }

    private void tickAndReschedule() {
        try {
            recorder.tick();
        } finally {
            scheduleNext(); // from the clock each time, so the ticks follow its boundaries rather than drift
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
