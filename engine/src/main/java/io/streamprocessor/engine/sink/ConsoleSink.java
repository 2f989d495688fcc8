package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes processed events as lines of JSON to a stream (standard output by default), flushing at
 * the end of each ring batch. For debugging and demos: it writes on the sink thread, so a slow
 * terminal slows the sink stage. A sample rate below 1 writes only that share of the events,
 * evenly spread (0.01: every hundredth), so a busy stream cannot flood a terminal.
 */
public final class ConsoleSink implements Sink {
    private final String name;
    private final OutputStream out;
    private final double sampleRate;
    private final EventJson json = new EventJson();
    /** Share of an event owed to the output; an event is written each time it reaches 1. */
    private double owed;

    public ConsoleSink() {
        this("console", System.out, 1.0);
    }

    public ConsoleSink(OutputStream out) {
        this("console", out, 1.0);
    }

    /**
     * @param sampleRate the share of events written, in (0, 1]
     */
    public ConsoleSink(String name, OutputStream out, double sampleRate) {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("console sample rate must be in (0, 1], got " + sampleRate);
        }
        this.name = name;
        this.out = out;
        this.sampleRate = sampleRate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void onEvent(EventView event) throws IOException {
        owed += sampleRate;
        if (owed < 1.0) {
            return;
        }
        owed -= 1.0;
        int n = json.encode(event);
        out.write(json.buffer(), 0, n);
        out.write('\n');
    }

    @Override
    public void onEndOfBatch() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
