package io.streamprocessor.connectors;

/** What a sink does when its buffer is full. */
public enum Overflow {
    /**
     * Refuse new requests (503 with {@code Retry-After}) until the sink drains; nothing of a refused
     * request is taken, and nothing accepted is lost.
     */
    BACKPRESSURE("backpressure"),
    /** Drop the events that do not fit, counting each one in the sink's {@code dropped}. */
    DROP("drop"),
    /**
     * Fall behind: while the buffer is full the sink takes no new events, and reads the ones it
     * missed back from the journal once it has room, until it has caught up. Requests are never
     * refused for it and nothing is dropped; the journal keeps the segments it still needs.
     */
    JOURNAL("journal");

    private final String configName;

    Overflow(String configName) {
        this.configName = configName;
    }

    /** The name in the configuration file: {@code backpressure}, {@code drop}, {@code journal}. */
    public String configName() {
        return configName;
    }
}
