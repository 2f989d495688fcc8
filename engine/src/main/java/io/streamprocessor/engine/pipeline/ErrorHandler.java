package io.streamprocessor.engine.pipeline;

/**
 * Receives every error a stage, filter, transform or sink throws, and those the processor and
 * the HTTP server catch around them.
 *
 * <p>Threads: called from many threads, possibly at the same time, so implementations must be
 * thread-safe. The callers are every stage thread (in the inline topology, whichever thread is
 * draining the ring: an HTTP I/O thread, the thread asking for aggregations or stats, the closing
 * thread); the thread closing the processor (a drain that ran past its timeout, a sink that
 * failed to close); and in the HTTP server its I/O threads (a request body the decoder failed on)
 * and its query thread (a query that failed). It must not throw, and must not block for long:
 * it runs on those threads' time, an event loop's included.
 */
@FunctionalInterface
public interface ErrorHandler {
    void onError(String where, Throwable error);
}
