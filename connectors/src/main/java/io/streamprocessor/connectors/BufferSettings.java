package io.streamprocessor.connectors;

import java.time.Duration;

/**
 * How a {@link BufferedSink} holds and delivers events. Immutable.
 *
 * @param bufferEvents  most events held, accepted but not yet delivered (rounded up to a power of two)
 * @param overflow      what happens when the buffer is full
 * @param flushEvents   most events delivered in one write
 * @param flushInterval longest an event waits for more to join its write (0: deliver at once)
 * @param retryInitial  wait after a first failure; doubles after each failure in a row
 * @param retryMax      longest wait between attempts
 * @param drainTimeout  how long shutdown waits for the buffer to be delivered before giving up on the rest
 */
public record BufferSettings(int bufferEvents, Overflow overflow, int flushEvents,
                             Duration flushInterval, Duration retryInitial, Duration retryMax, Duration drainTimeout) {
    public static final int DEFAULT_BUFFER_EVENTS = 65_536;

    public BufferSettings {
        if (bufferEvents <= 0 || flushEvents <= 0) {
            throw new IllegalArgumentException("buffer and flush event counts must be > 0");
        }
    }

    /** The defaults: 65,536 events, back-pressure, up to 10,000 events per write, no waiting, retries from 100 ms to 30 s. */
    public static BufferSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BufferSettings}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private int bufferEvents = DEFAULT_BUFFER_EVENTS;
        private Overflow overflow = Overflow.BACKPRESSURE;
        private int flushEvents = 10_000;
        private Duration flushInterval = Duration.ZERO;
        private Duration retryInitial = Duration.ofMillis(100);
        private Duration retryMax = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder bufferEvents(int events) {
            this.bufferEvents = events;
            return this;
        }

        public Builder overflow(Overflow policy) {
            this.overflow = policy;
            return this;
        }

        public Builder flushEvents(int events) {
            this.flushEvents = events;
            return this;
        }

        public Builder flushInterval(Duration interval) {
            this.flushInterval = interval;
            return this;
        }

        public Builder retry(Duration initial, Duration max) {
            this.retryInitial = initial;
            this.retryMax = max;
            return this;
        }

        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        public BufferSettings build() {
            return new BufferSettings(bufferEvents, overflow, flushEvents, flushInterval, retryInitial,
                retryMax, drainTimeout);
        }
    }
}
