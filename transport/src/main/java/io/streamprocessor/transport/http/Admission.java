package io.streamprocessor.transport.http;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides whether an I/O thread parses a request's events or sheds them with 503 unparsed, so
 * that under overload the thread spends its time on work it can finish promptly and still comes
 * back to every connection, new ones and health probes included, within a few tens of
 * milliseconds. Two signals, both known before any parsing:
 * <ul>
 *   <li>the pipeline's backlog: the ring over 90% full (where {@code /health} turns degraded);</li>
 *   <li>the thread's own backlog, as the age of a marker task handed to it: an event loop runs
 *       its tasks between passes over its ready connections, so the age of an unrun marker is
 *       how long the current pass has run, and every connection not yet served in it has waited
 *       at least that long. Once passes have run past {@code maxDelayNanos} for a sustained
 *       time, the rest of each pass past that delay is shed, which costs only the reading of its
 *       bytes, so the pass ends soon; a pass within the delay a second after the last shed ends
 *       the shedding.</li>
 * </ul>
 * The transport asks twice: when a request's head arrives ({@link #shedOnArrival}), to skip its
 * body unread, and when its body is complete ({@link #shedBeforeParsing}), as a body may take
 * several passes to arrive. A marker is handed over only when a request asks, so an idle server
 * schedules nothing.
 *
 * <p>One per I/O thread; every method, and the marker, run on that thread only.
 */
final class Admission {
    /** Why events are shed, in words for the client (the 503's message). */
    static final String PIPELINE_FULL = "server busy: the pipeline is over 90% full, retry later";
    static final String BEHIND = "server busy: more requests than it can parse in time, retry later";
    private static final long NONE = Long.MIN_VALUE;
    /**
     * Shedding starts once passes have run past the delay for this many delays in a row (100 ms
     * at the default 20 ms): one slow pass, a cold start's or a pause's, sheds nothing, while a
     * flood's first pass alone is usually longer than that.
     */
    static final int SUSTAINED_PASSES = 5;

    private final Executor loop;
    private final LongSupplier nanoClock;
    private final long maxDelayNanos;
    private final Backlog pipeline;
    /** How long the thread must have been behind, pass after pass, before it sheds. */
    private final long sustainedNanos;
    /** When the marker now in the loop's queue was handed over; {@code NONE} when none is. */
    private long markerSince = NONE;
    /** When the current run of passes longer than the delay began; {@code NONE} after a pass within it. */
    private long behindSince = NONE;
    /** When the last marker ran: the end of the last pass that handed one over. */
    private long lastPassEnd = NONE;
    /** Written by the I/O thread only; read by the control loop too ({@link #shedding()}). */
    private volatile boolean overloaded;
    /**
     * When this thread last passed by here (a request, or the end of a pass), for {@link #shedding}: an
     * overload is only known to end when the thread next has work, so one that has had none for a
     * delay is not taken to be overloaded by others. Set lazily: one plain store per request.
     */
    private final AtomicLong lastSeen = new AtomicLong(Long.MIN_VALUE / 2);
    /** When events were last shed for the thread's lag. */
    private long lastShed;
    /** How long nothing must have been shed for an overload to end: the {@code Retry-After} time. */
    static final long CALM_NANOS = 1_000_000_000L;
    private final Runnable marker = this::passEnded;

    /** The pipeline's fill, read when a request arrives. */
    interface Backlog {
        /** True when the pipeline is too full to take more events now. */
        boolean nearlyFull();
    }

    /**
     * @param loop          the I/O thread's executor; the marker runs there, between passes
     * @param maxDelayNanos how long a pass may run before events are shed; 0 sheds only on a full pipeline
     */
    Admission(Executor loop, LongSupplier nanoClock, long maxDelayNanos, Backlog pipeline) {
        this.loop = loop;
        this.nanoClock = nanoClock;
        this.maxDelayNanos = maxDelayNanos;
        this.sustainedNanos = SUSTAINED_PASSES * maxDelayNanos;
        this.pipeline = pipeline;
    }

    /**
     * The marker ran: the pass that handed it over is done. Passes past the delay for {@code
     * sustainedNanos} in a row begin an overload. It ends with a pass within the delay once
     * nothing has been shed for {@link #CALM_NANOS}: a pass is short while shedding precisely
     * because of the shedding, and clients told to come back after a second come back together.
     * Staying in it costs a light load nothing, as only what comes past the delay in a pass is shed.
     */
    private void passEnded() {
        long now = nanoClock.getAsLong();
        if (now - markerSince > maxDelayNanos) {
            if (behindSince == NONE) {
                behindSince = markerSince;
            }
            overloaded = overloaded || now - behindSince >= sustainedNanos;
        } else if (!overloaded || now - lastShed >= CALM_NANOS) {
            behindSince = NONE;
            overloaded = false;
        }
        markerSince = NONE;
        lastPassEnd = now;
        lastSeen.lazySet(now);
    }

    /**
     * Any thread: whether this I/O thread is in an overload, shedding what comes past the delay
     * in each pass. The control loop reads it to turn a new connection's events away itself
     * rather than move the connection to a thread that would shed them a pass later.
     */
    boolean shedding() {
        return overloaded && nanoClock.getAsLong() - lastSeen.get() <= maxDelayNanos;
    }

    /** A request carrying events has announced itself: null to read its body, else the 503 message. */
    String shedOnArrival() {
        return pipeline.nearlyFull() ? PIPELINE_FULL : shedBeforeParsing();
    }

    /** A request's events are about to be parsed: null to go on, else the 503 message. */
    String shedBeforeParsing() {
        if (maxDelayNanos <= 0) {
            return null;
        }
        long now = nanoClock.getAsLong();
        lastSeen.lazySet(now);
        if (markerSince == NONE) {
            if (lastPassEnd != NONE && now - lastPassEnd > maxDelayNanos) {
                // The thread had nothing to do for a while since its last pass: it has caught up.
                behindSince = NONE;
                overloaded = false;
            }
            markerSince = now;
            loop.execute(marker);
            return null;
        }
        if (overloaded && now - markerSince > maxDelayNanos) {
            lastShed = now;
            return BEHIND;
        }
        return null;
    }
}
