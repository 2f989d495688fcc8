package io.streamprocessor.transport.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.streamprocessor.engine.pipeline.IngestRequest;

/**
 * One request on one connection, from the moment it is read until its response is written,
 * kept in arrival order so pipelined responses go out in request order. For ingestion it is
 * also the engine's {@link IngestRequest}: the completion stage tallies its events and, on the
 * last one, hands it back to the connection's event loop to answer.
 *
 * <p>Pooled per connection; touched by the event loop, except for the tallies, which a
 * completion thread writes before it submits this to the event loop (the submission orders them).
 */
final class Exchange extends IngestRequest implements Runnable {
    enum Kind { SINGLE, BATCH, OTHER }

    private final HttpHandler handler;
    Kind kind = Kind.OTHER;
    boolean keepAlive;
    boolean http10;
    FullHttpResponse response;

    Exchange(HttpHandler handler) {
        this.handler = handler;
    }

    void begin(boolean keepAlive, boolean http10) {
        this.keepAlive = keepAlive;
        this.http10 = http10;
        this.kind = Kind.OTHER;
        this.response = null;
    }

    /**
     * Completion stage: the last event is through; answer on the connection's event loop, at
     * once when the stages ran on that very loop (the inline topology).
     */
    @Override
    protected void onComplete() {
        if (handler.executor().inEventLoop()) {
            run();
        } else {
            handler.executor().execute(this);
        }
    }

    /** Event loop: encode the ingestion's response and release it in order. */
    @Override
    public void run() {
        handler.onIngestionDone(this);
    }
}
