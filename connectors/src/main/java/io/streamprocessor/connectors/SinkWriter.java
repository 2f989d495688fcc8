package io.streamprocessor.connectors;

/**
 * The part of a sink that talks to its outside system: a file, a Kafka topic, a database table.
 * A {@link BufferedSink} owns it and calls it from the sink's own thread only, never from the
 * pipeline's, so it may block on I/O: open, write whole batches, close. A method that throws is
 * a failed attempt: the buffered sink closes the writer, waits (exponential backoff with jitter),
 * opens it again and delivers the same batch again, so a writer must make a repeated batch safe
 * (delivered at least once, never torn). When shutdown gives up on a target that does not come
 * back within the drain timeout, it interrupts the sink's thread: a write blocked on the target
 * should then end (throw) promptly.
 */
public interface SinkWriter extends AutoCloseable {
    /** Connects or opens the target; called before the first write and again after every failure. */
    void open() throws Exception;

    /**
     * Delivers every event of the batch, in order, and returns only once the target has them
     * (flushed, acknowledged, committed); throws otherwise.
     */
    void write(EventBatch batch) throws Exception;

    /** Releases the connection or file; called after a failure and at shutdown. Must not throw for a target already gone. */
    @Override
    void close() throws Exception;

    /** The target in words for messages, e.g. {@code file out/events.ndjson}, {@code kafka topic events at localhost:9092}. */
    String target();
}
