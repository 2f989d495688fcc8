package io.streamprocessor.transport.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;
import io.streamprocessor.engine.pipeline.IngestRequest;

/**
 * One request on one connection, from the moment it is read until its response is written.
 * {@link ResponseOrder} opens it in arrival order and sends it down the pipeline carrying the
 * request; the handler whose job it is answers it with {@link #respond}, at once or later, and
 * {@code ResponseOrder} writes the answers strictly in request order. For ingestion it is also
 * the engine's {@link IngestRequest}: the completion stage tallies its events into it.
 *
 * <p>Pooled per connection. Threads: everything happens on the connection's event loop except
 * two hand-overs, each followed by submitting this exchange to the event loop (the submission
 * orders the writes before {@link #run}): the completion stage's tallies and
 * {@link #onComplete()} (on a stage thread, or in the inline topology on whichever thread drains
 * the ring, often this very event loop), and a query's {@link #prepared} response (on the query
 * thread).
 */
final class Exchange extends IngestRequest implements Runnable {
    /** What a request asks for, once routed; {@code path} is also its {@code route} label in {@code /metrics}. */
    enum Route {
        EVENTS(HttpMethod.POST, "/events"),
        BATCH(HttpMethod.POST, "/events/batch"),
        AGGREGATIONS(HttpMethod.GET, "/aggregations"),
        STATS(HttpMethod.GET, "/stats"),
        HEALTH(HttpMethod.GET, "/health"),
        METRICS(HttpMethod.GET, "/metrics"),
        /** {@code /}: the dashboard page. */
        DASHBOARD(HttpMethod.GET, "/"),
        /** {@code /assets/*}: the dashboard's scripts and stylesheets. */
        ASSET(HttpMethod.GET, "/assets/");

        final HttpMethod method;
        final String path;

        Route(HttpMethod method, String path) {
            this.method = method;
            this.path = path;
        }
    }

    /** Finishes an exchange on its event loop once the work done elsewhere (the pipeline, a query) is through. */
    interface Finisher {
        void finish(Exchange ex);
    }

    private final ResponseOrder order;
    boolean keepAlive;
    boolean http10;
    /**
     * The request, lent only for the call that sends this exchange down the pipeline:
     * {@link ResponseOrder} owns and releases it, so a job that needs its body later copies what it needs.
     */
    FullHttpRequest request;
    /** Set by the {@link Router}: the route of the path, also when the method is not allowed there. */
    Route route;
    /** Set by a job that will answer later, before it hands the exchange over. */
    Finisher finisher;
    /** A response built off the event loop (a query's), for its {@link #finisher}. */
    FullHttpResponse prepared;
    /** The answer, waiting for its turn; {@link ResponseOrder}'s alone. */
    FullHttpResponse response;

    Exchange(ResponseOrder order) {
        this.order = order;
    }

    void begin(boolean keepAlive, boolean http10) {
        this.keepAlive = keepAlive;
        this.http10 = http10;
        this.route = null;
        this.finisher = null;
        this.prepared = null;
        this.response = null;
    }

    /** Event loop: this exchange's answer; it leaves once every earlier answer on the connection has. */
    void respond(FullHttpResponse r) {
        order.respond(this, r);
    }

    /** Event loop: whether a request read before this one on its connection is still unanswered. */
    boolean hasEarlierUnanswered() {
        return order.hasEarlierUnanswered(this);
    }

    /** Event loop: answers 503 for events shed unparsed; a client that keeps sending regardless is read less. */
    void shed(String message) {
        order.respond(this, Responses.busy(order.alloc(), message));
        order.shedEvents();
    }

    ByteBufAllocator alloc() {
        return order.alloc();
    }

    /** The connection's event loop. */
    EventExecutor executor() {
        return order.executor();
    }

    /** Any thread: has the {@link #finisher} finish this exchange on its event loop, at once when already there. */
    void finishOnEventLoop() {
        EventExecutor loop = order.executor();
        if (loop.inEventLoop()) {
            run();
        } else {
            loop.execute(this);
        }
    }

    /** Completion stage: the last event of the ingestion is through; it is answered in the I/O thread's next slice. */
    @Override
    protected void onComplete() {
        if (order.executor().inEventLoop()) {
            run();
        } else {
            order.completions().offer(this);
        }
    }

    /** Event loop. */
    @Override
    public void run() {
        finisher.finish(this);
    }
}
