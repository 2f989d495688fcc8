package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventView;

/**
 * Where processed events go. The sink stage calls {@link #onEvent} for every event that passed
 * the filters (late ones included) and {@link #onEndOfBatch} at the end of each ring batch, the
 * natural moment to flush a buffer.
 *
 * <p>Threads. {@link #onEvent} and {@link #onEndOfBatch} are never called concurrently, and each
 * call happens-after the one before, so the sink's own state needs no locking. In the threaded
 * topologies they all come from the one thread that runs the sink stage. In the inline topology
 * they come from whichever thread drains the ring at the time, one at a time under the drain
 * lock: a producer's thread (in the HTTP server, an I/O thread), a thread asking for
 * {@code aggregations()} or {@code stats()} (the server's query thread), or the thread closing
 * the processor. {@link #buffered} and {@link #failure} are different: {@code StreamProcessor}
 * calls them from its callers' threads ({@code stats()} and {@code bufferSize()} call
 * {@code buffered()}, {@code health()} calls {@code failure()}), which in the HTTP server are the
 * query thread and every I/O thread ({@code GET /health} answers on the event loop), at any time,
 * concurrently with the callbacks and with each other. Implementations must therefore make
 * those two (and {@link #name}) thread-safe and quick: read a volatile or atomic field, never
 * block, never wait for a lock the callbacks hold.
 *
 * <p>Callbacks must not block for long either: a sink that talks to a slow system should copy
 * what it needs into its own bounded buffer and write from its own thread. An exception thrown
 * from a callback is counted as a failure of that sink and never stops the pipeline.
 */
public interface Sink extends AutoCloseable {
    /** Name for stats and health, e.g. {@code console}; any thread, so it must not change. */
    String name();

    /** The view is valid only during the call; copy what must outlive it. */
    void onEvent(EventView event) throws Exception;

    default void onEndOfBatch() throws Exception {
    }

    /**
     * Events accepted but not yet written out (reported as {@code bufferSize}). Any thread,
     * concurrently with the callbacks: must be thread-safe and must not block.
     */
    default long buffered() {
        return 0;
    }

    /**
     * Null when healthy, otherwise why not (e.g. the last write error). Any thread, concurrently
     * with the callbacks (an HTTP I/O thread answering {@code GET /health}): must be thread-safe
     * and must not block.
     */
    default String failure() {
        return null;
    }

    /**
     * Flushes and releases resources. Called once, by the thread closing the processor, after the
     * ring has drained and the last callback has returned; only when draining ran past the drain
     * timeout may a stuck callback still be running on the sink thread.
     */
    @Override
    default void close() throws Exception {
    }
}
