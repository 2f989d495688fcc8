package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes each processed event as a line of JSON to a stream (standard output by default),
 * flushing at the end of each ring batch. For debugging and demos: it writes on the sink
 * thread, so a slow terminal slows the sink stage.
 */
public final class ConsoleSink implements Sink {
    private final OutputStream out;
    private final EventJson json = new EventJson();
    private volatile String failure;

    public ConsoleSink() {
        this(System.out);
    }

    public ConsoleSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void onEvent(EventView event) throws IOException {
        int n = json.encode(event);
        try {
            out.write(json.buffer(), 0, n);
            out.write('\n');
            failure = null;
        } catch (IOException e) {
            failure = "console: " + e.getMessage();
            throw e;
        }
    }

    @Override
    public void onEndOfBatch() throws IOException {
        out.flush();
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
