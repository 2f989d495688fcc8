package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventView;

/**
 * Where processed events go. The sink stage calls {@link #onEvent} for every event that passed
 * the filters (late ones included) and {@link #onEndOfBatch} at the end of each ring batch, so a
 * sink sees whole Disruptor batches through read-only views, the natural unit to hand to a buffer.
 *
 * <p>Lifecycle: {@link #start} when the processor starts, the callbacks while it runs,
 * {@link #close} once after the ring has drained, which flushes and delivers what the sink holds.
 *
 * <p>Threads. {@link #onEvent} and {@link #onEndOfBatch} are never called concurrently, and each
 * call happens-after the one before, so the sink's own state needs no locking. In the threaded
 * topologies they all come from the one thread that runs the sink stage. In the inline topology
 * they come from whichever thread drains the ring at the time, one at a time under the drain
 * lock: a producer's thread (in the HTTP server, an I/O thread), a thread asking for
 * {@code aggregations()} or {@code stats()} (the server's query thread), or the thread closing
 * the processor. {@link #admits} and {@link #status} are different: the processor calls them from
 * its callers' threads (a producer claiming slots, {@code stats()}, {@code health()}), which in the
 * HTTP server are every I/O thread and the query thread, at any time, concurrently with the
 * callbacks and with each other. Implementations must therefore make those two (and
 * {@link #name}) thread-safe and quick: read volatile or atomic fields, never block.
 *
 * <p>Callbacks must not block for long: a sink that talks to an outside system copies what it
 * needs into its own bounded buffer and writes from its own thread (see {@code BufferedSink} in
 * the connectors module). An exception thrown from a callback is counted as a failure of that sink
 * and never stops the pipeline or the other sinks.
 */
public interface Sink extends AutoCloseable {
    /** Name for stats and health, e.g. {@code console}; unique within a processor, and it must not change. */
    String name();

    /** Starts what the sink runs on its own (threads, connections). Called once, before any callback. */
    default void start() throws Exception {
    }

    /** The view is valid only during the call; copy what must outlive it. */
    void onEvent(EventView event) throws Exception;

    default void onEndOfBatch() throws Exception {
    }

    /**
     * Whether the sink can take {@code events} more events without losing any: the processor asks
     * before taking a request, with the events already on their way through the ring included, and
     * refuses the request (503) when a sink says no. A sink that drops when full, or never fills,
     * says yes. Any thread; must not block.
     */
    default boolean admits(long events) {
        return true;
    }

    /**
     * The sink's own counts and health, or null for a sink that writes in its callbacks, whose
     * counts the engine keeps from the callbacks' outcomes. Any thread; must not block.
     */
    default SinkStatus status() {
        return null;
    }

    /**
     * True for a sink that, when full, falls behind rather than refusing requests or dropping: while
     * it {@link #admits} no more, the engine hands it no live events and later reads it the ones it
     * missed back from the journal, as fast as it admits them, until it has caught up (the overflow
     * policy {@code journal}). Needs the processor's journal. Must not change.
     */
    default boolean catchesUpFromJournal() {
        return false;
    }

    /**
     * The {@linkplain io.streamprocessor.engine.event.EventView#position() position} of the oldest
     * event this sink was handed and has not yet delivered for good (written, flushed, acknowledged),
     * or {@link Long#MAX_VALUE} when it holds none: everything before it is delivered, so after a crash
     * the journal hands the sink the events from there on again (at least once). A sink that delivers
     * within its callbacks holds none and needs not override this. Any thread; must not block.
     */
    default long oldestUndelivered() {
        return Long.MAX_VALUE;
    }

    /**
     * Flushes and delivers what the sink holds, within the processor's drain timeout, then releases
     * resources. Called once, by the thread closing the processor, after the ring has drained and
     * the last callback has returned; only when draining ran past the drain timeout may a stuck
     * callback still be running.
     */
    @Override
    default void close() throws Exception {
    }
}
