package io.streamprocessor.transport.http;

import io.streamprocessor.config.Options;
import io.streamprocessor.config.Settings;

/**
 * What the HTTP server takes, built from the configuration's {@code server.*} settings
 * ({@link #from(Settings)}); {@link Options} holds the names and defaults. Each component is
 * the key's name, with the unit of a bare number in its name ({@code server.max-body-size} is
 * {@code maxBodyBytes}, {@code server.request-timeout} is {@code requestTimeoutMillis}).
 * Immutable.
 *
 * @param eventLoops              I/O threads; 0 picks one per two cores (at least one)
 * @param maxBodyBytes            larger bodies get 413
 * @param maxBatchEvents          larger batches ({@code POST /events/batch}) get 413, nothing processed
 * @param maxPendingPerConnection requests read but not yet answered on one connection before the server stops reading it
 * @param maxBufferedBodyBytes    request bytes buffered across all connections before new requests get 503
 * @param requestTimeoutMillis    a request whose body stops arriving for this long gets 408 and the connection closes
 *                                (a request whose headers stop half-way is closed at the idle timeout)
 * @param idleTimeoutMillis       a keep-alive connection with nothing to do is closed after this long
 * @param overloadDelayMillis     new events get 503 while an I/O thread's current pass over its connections has run
 *                                this long; 0 sheds only when the pipeline is over 90% full
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
    int maxHeaderBytes,
    long overloadDelayMillis) {

    public ServerSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (overloadDelayMillis < 0) {
            throw new IllegalArgumentException("overloadDelayMillis must be >= 0");
        }
        if (maxBodyBytes <= 0 || maxBatchEvents <= 0 || maxPendingPerConnection <= 0 || maxBufferedBodyBytes <= 0) {
            throw new IllegalArgumentException("limits must be > 0");
        }
    }

    /** The server's part of a loaded configuration; {@code auto} values are resolved here. */
    public static ServerSettings from(Settings s) {
        long buffered = s.get(Options.MAX_BUFFERED_BODY);
        return new ServerSettings(
            s.get(Options.HOST),
            s.get(Options.PORT),
            s.get(Options.EVENT_LOOPS),
            Math.toIntExact(s.get(Options.MAX_BODY_SIZE)),
            s.get(Options.MAX_BATCH_EVENTS),
            s.get(Options.MAX_PENDING_PER_CONNECTION),
            buffered > 0 ? buffered : Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4),
            s.get(Options.REQUEST_TIMEOUT).toMillis(),
            s.get(Options.IDLE_TIMEOUT).toMillis(),
            Math.toIntExact(s.get(Options.MAX_INITIAL_LINE)),
            Math.toIntExact(s.get(Options.MAX_HEADER_SIZE)),
            s.get(Options.OVERLOAD_DELAY).toMillis());
    }

    /** The defaults of {@link Options}, as with no file, environment or flags. */
    public static ServerSettings defaults() {
        return from(Settings.defaults());
    }

    /** A builder starting from the defaults, for tests and tools that vary a few values. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** The number of I/O threads to start. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Sets what differs from the defaults; methods are named like the components. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private int eventLoops;
        private int maxBodyBytes;
        private int maxBatchEvents;
        private int maxPendingPerConnection;
        private long maxBufferedBodyBytes;
        private long requestTimeoutMillis;
        private long idleTimeoutMillis;
        private int maxInitialLineBytes;
        private int maxHeaderBytes;
        private long overloadDelayMillis;

        private Builder(ServerSettings d) {
            host = d.host;
            port = d.port;
            eventLoops = d.eventLoops;
            maxBodyBytes = d.maxBodyBytes;
            maxBatchEvents = d.maxBatchEvents;
            maxPendingPerConnection = d.maxPendingPerConnection;
            maxBufferedBodyBytes = d.maxBufferedBodyBytes;
            requestTimeoutMillis = d.requestTimeoutMillis;
            idleTimeoutMillis = d.idleTimeoutMillis;
            maxInitialLineBytes = d.maxInitialLineBytes;
            maxHeaderBytes = d.maxHeaderBytes;
            overloadDelayMillis = d.overloadDelayMillis;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder eventLoops(int value) {
            eventLoops = value;
            return this;
        }

        public Builder maxBodyBytes(int value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxBatchEvents(int value) {
            maxBatchEvents = value;
            return this;
        }

        public Builder maxPendingPerConnection(int value) {
            maxPendingPerConnection = value;
            return this;
        }

        public Builder maxBufferedBodyBytes(long value) {
            maxBufferedBodyBytes = value;
            return this;
        }

        public Builder requestTimeoutMillis(long value) {
            requestTimeoutMillis = value;
            return this;
        }

        public Builder idleTimeoutMillis(long value) {
            idleTimeoutMillis = value;
            return this;
        }

        public Builder maxInitialLineBytes(int value) {
            maxInitialLineBytes = value;
            return this;
        }

        public Builder maxHeaderBytes(int value) {
            maxHeaderBytes = value;
            return this;
        }

        public Builder overloadDelayMillis(long value) {
            overloadDelayMillis = value;
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(host, port, eventLoops, maxBodyBytes, maxBatchEvents, maxPendingPerConnection,
                maxBufferedBodyBytes, requestTimeoutMillis, idleTimeoutMillis, maxInitialLineBytes, maxHeaderBytes,
                overloadDelayMillis);
        }
    }
}
