package io.streamprocessor.config;

import java.time.Duration;

/**
 * What the HTTP server takes, as plain values, so this module need not know the server: the
 * launcher maps them onto its own settings type.
 *
 * @param eventLoops          I/O threads; 0 means one per two cores
 * @param maxBufferedBodyBytes request bytes buffered across connections; 0 means the server's default
 *                            (a quarter of the heap, at least 64 MiB)
 */
public record ServerValues(
    String host,
    int port,
    int eventLoops,
    int maxBodyBytes,
    int maxBatchEvents,
    int maxPendingPerConnection,
    long maxBufferedBodyBytes,
    Duration requestTimeout,
    Duration idleTimeout,
    int maxInitialLineBytes,
    int maxHeaderBytes) {

    static ServerValues of(Settings s) {
        return new ServerValues(
            s.get(Options.HOST),
            s.get(Options.PORT),
            s.get(Options.EVENT_LOOPS),
            Math.toIntExact(s.get(Options.MAX_BODY_SIZE)),
            s.get(Options.MAX_BATCH_EVENTS),
            s.get(Options.MAX_PENDING_PER_CONNECTION),
            s.get(Options.MAX_BUFFERED_BODY),
            s.get(Options.REQUEST_TIMEOUT),
            s.get(Options.IDLE_TIMEOUT),
            Math.toIntExact(s.get(Options.MAX_INITIAL_LINE)),
            Math.toIntExact(s.get(Options.MAX_HEADER_SIZE)));
    }
}
