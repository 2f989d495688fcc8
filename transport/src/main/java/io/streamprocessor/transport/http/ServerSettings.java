package io.streamprocessor.transport.http;

/**
 * What the HTTP server takes, with the limits of the API as defaults. Immutable.
 *
 * @param eventLoops              I/O threads; 0 picks one per two cores (at least one)
 * @param maxBodyBytes            larger bodies get 413
 * @param maxBatchEvents          larger batches get 413, nothing processed
 * @param maxPendingPerConnection requests read but not yet answered on one connection before the server stops reading it
 * @param maxBufferedBodyBytes    request bytes buffered across all connections before new requests get 503
 * @param requestTimeoutMillis    a request whose body stops arriving for this long gets 408 and the connection closes
 *                                (a request whose headers stop half-way is closed at the idle timeout)
 * @param idleTimeoutMillis       a keep-alive connection with nothing to do is closed after this long
 */
public record ServerSettings(
    String host,
    int port,
    int eventLoops,
    int maxBodyBytes,
    int maxBatchEvents,
    int maxPendingPerConnection,
    long maxBufferedBodyBytes,
    long requestTimeoutMillis,
    long idleTimeoutMillis,
    int maxInitialLineBytes,
    int maxHeaderBytes) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;

    public ServerSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxBodyBytes <= 0 || maxBatchEvents <= 0 || maxPendingPerConnection <= 0) {
            throw new IllegalArgumentException("limits must be > 0");
        }
    }

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, 0, 16 * 1024 * 1024, 10_000, 64,
            Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4), 10_000, 60_000, 4096, 16_384);
    }

    public ServerSettings withAddress(String newHost, int newPort) {
        return new ServerSettings(newHost, newPort, eventLoops, maxBodyBytes, maxBatchEvents, maxPendingPerConnection,
            maxBufferedBodyBytes, requestTimeoutMillis, idleTimeoutMillis, maxInitialLineBytes, maxHeaderBytes);
    }

    public ServerSettings withEventLoops(int loops) {
        return new ServerSettings(host, port, loops, maxBodyBytes, maxBatchEvents, maxPendingPerConnection,
            maxBufferedBodyBytes, requestTimeoutMillis, idleTimeoutMillis, maxInitialLineBytes, maxHeaderBytes);
    }

    public ServerSettings withTimeouts(long requestMillis, long idleMillis) {
        return new ServerSettings(host, port, eventLoops, maxBodyBytes, maxBatchEvents, maxPendingPerConnection,
            maxBufferedBodyBytes, requestMillis, idleMillis, maxInitialLineBytes, maxHeaderBytes);
    }

    public ServerSettings withLimits(int bodyBytes, int batchEvents, long bufferedBodyBytes) {
        return new ServerSettings(host, port, eventLoops, bodyBytes, batchEvents, maxPendingPerConnection,
            bufferedBodyBytes, requestTimeoutMillis, idleTimeoutMillis, maxInitialLineBytes, maxHeaderBytes);
    }

    /** The number of I/O threads to start. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
