package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventView;

/**
 * Where processed events go. The sink stage calls {@link #onEvent} for every event that passed
 * the filters (late ones included) and {@link #onEndOfBatch} at the end of each ring batch, the
 * natural moment to flush a buffer.
 *
 * <p>Concurrency: all callbacks come from the one sink-stage thread. They must not block for
 * long: a sink that talks to a slow system should copy what it needs into its own bounded
 * buffer and write from its own thread. An exception thrown from a callback is counted as a
 * failure of that sink and never stops the pipeline.
 */
public interface Sink extends AutoCloseable {
    /** Name for stats and health, e.g. {@code console}. */
    String name();

    /** The view is valid only during the call; copy what must outlive it. */
    void onEvent(EventView event) throws Exception;

    default void onEndOfBatch() throws Exception {
    }

    /** Events accepted but not yet written out (reported as {@code bufferSize}). */
    default long buffered() {
        return 0;
    }

    /** Null when healthy, otherwise why not (e.g. the last write error). */
    default String failure() {
        return null;
    }

    /** Flushes and releases resources; called once after the ring has drained. */
    @Override
    default void close() throws Exception {
    }
}
