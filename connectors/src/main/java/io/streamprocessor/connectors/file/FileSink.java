package io.streamprocessor.connectors.file;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@code file} sink: every event as one line of JSON (NDJSON) appended to a file, rotated by
 * size and by time, rotated files optionally gzipped. It is a {@link BufferedSink} around an
 * NDJSON file writer, so the file is written from the sink's own thread and a slow or unwritable
 * disk never stalls the pipeline. Stateless factory.
 */
public final class FileSink {
    /** Most events per write by default: about 3 MB of typical lines, one system call. */
    public static final int DEFAULT_FLUSH_EVENTS = 10_000;
    /** Longest an event waits for others to join its write by default. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(10);

    private FileSink() {
    }

    /**
     * The buffer defaults of a file sink: those of {@link BufferSettings} but up to
     * {@value #DEFAULT_FLUSH_EVENTS} events per write, and a write at least every 10 ms. An append to
     * the page cache costs a few microseconds whatever its size, so waiting longer saves nothing
     * measurable, while every millisecond of waiting is a millisecond that a reader of the file
     * (e.g. {@code tail -f}) lags and that acknowledged events spend only in memory.
     */
    public static BufferSettings.Builder bufferDefaults() {
        return BufferSettings.builder().flushEvents(DEFAULT_FLUSH_EVENTS).flushInterval(DEFAULT_FLUSH_INTERVAL);
    }

    /** A file sink with the file sink's buffer defaults. */
    public static BufferedSink create(String name, FileSinkSettings file) {
        return create(name, file, bufferDefaults().build());
    }

    /** A file sink named {@code name} (for {@code /stats}, {@code /health} and messages). Nothing is opened before it starts. */
    public static BufferedSink create(String name, FileSinkSettings file, BufferSettings buffer) {
        return new BufferedSink(name, new NdjsonFileWriter(name, file, Clock.systemUTC(), NdjsonFileWriter.DEFAULT_OPENER),
            buffer);
    }
}
