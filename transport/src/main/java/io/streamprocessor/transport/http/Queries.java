package io.streamprocessor.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.stats.MetricsSnapshot;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowQuery;
import io.streamprocessor.engine.window.WindowResult;
import io.streamprocessor.transport.json.JsonBodies;
import io.streamprocessor.transport.metrics.ServerMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers the read side of the API. {@code GET /health} answers on the event loop and never
 * waits. {@code GET /stats} and {@code GET /metrics} answer on the event loop too when the
 * pipeline has already passed every event they must reflect (the usual case, under overload as
 * well); otherwise they go to the server's one query thread, which may wait (boundedly) for the
 * pipeline to catch up. Under a flood, handing them to that thread and back cost a second wait
 * for the loop's turn: their p99 on fresh connections was 320-510 ms against 36-94 ms for
 * {@code /health}. {@code GET /aggregations} from an ingestion loop always runs on the query
 * thread, because a query over many windows or groups can take milliseconds that the loop owes
 * its connections; on the control loop, which serves no ingestion, it answers in place as
 * {@code /stats} does, unless a custom aggregation (user code, of unknown cost) is configured.
 * The query thread's queue is bounded and a query past it gets 503.
 *
 * <p>Stateless, shared by every connection. {@link #channelRead} and {@link #finish} run on a
 * connection's event loop; a query handed off runs on the query thread, which hands its response back
 * through {@link Exchange#prepared}.
 */
@ChannelHandler.Sharable
final class Queries extends ChannelInboundHandlerAdapter implements Exchange.Finisher {
    private final ServerContext server;
    private final ServerMetrics metrics;
    /** The size of the last scrape, so the next one's buffer rarely grows; any thread. */
    private volatile int lastScrapeBytes = 16_384;

    Queries(ServerContext server, ServerMetrics metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Exchange ex && ex.route == Exchange.Route.HEALTH) {
            health(ex);
        } else if (msg instanceof Exchange ex && (ex.route == Exchange.Route.STATS || ex.route == Exchange.Route.AGGREGATIONS)) {
            query(ex, ex.route == Exchange.Route.STATS);
        } else if (msg instanceof Exchange ex && ex.route == Exchange.Route.METRICS) {
            scrape(ex, ex.request.headers().get(HttpHeaderNames.ACCEPT));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void health(Exchange ex) {
        StreamProcessor.Health h = server.processor().health();
        ByteBuf body = JsonBodies.health(ex.alloc().buffer(160), h, server.uptimeSeconds());
        HttpResponseStatus status = h.status() == StreamProcessor.Health.Status.UNHEALTHY
            ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
        ex.respond(Responses.json(status, body));
    }

    /**
     * {@code /stats} in place when it can be had at once, else on the query thread;
     * {@code /aggregations} likewise on the control loop, and always on the query thread from an
     * ingestion loop, because a query over many windows or groups can take milliseconds that the
     * loop owes its connections. Answers in order either way.
     */
    private void query(Exchange ex, boolean stats) {
        // parameters are read here, from the request lent for this call; a bad one is answered at once
        AggregationParameters.Parsed params = stats ? null : AggregationParameters.parse(ex.request.uri());
        if (params != null && params.error() != null) {
            ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, params.error()));
            return;
        }
        StreamProcessor p = server.processor();
        long mark = readMark(ex);
        if (stats) {
            inPlaceOrOffLoop(ex, "query", () -> p.reached(mark) ? p.statsWithin(mark, IN_PLACE_LOCK_WAIT_NANOS) : null,
                () -> p.stats(mark), s -> stats(ex, s));
        } else {
            WindowQuery selection = params.query();
            boolean here = server.isControlLoop(ex.executor()) && p.settings().aggregations().isEmpty();
            inPlaceOrOffLoop(ex, "query",
                () -> here && p.reached(mark) ? p.aggregationsWithin(mark, selection, IN_PLACE_LOCK_WAIT_NANOS) : null,
                () -> selection == null ? p.aggregations(mark) : p.aggregations(mark, selection), w -> aggregations(ex, w));
        }
    }

    /** A scrape, in the format {@code accept} asks for: in place when it can be had at once, else on the query thread. */
    private void scrape(Exchange ex, String accept) {
        StreamProcessor p = server.processor();
        long mark = readMark(ex);
        inPlaceOrOffLoop(ex, "metrics", () -> p.reached(mark) ? p.metricsSnapshotWithin(mark, IN_PLACE_LOCK_WAIT_NANOS) : null,
            () -> p.metricsSnapshot(mark), m -> scrape(ex, accept, m));
    }

    /**
     * Answers with what {@code atOnce} gives on this event loop, or, when it gives null (it cannot
     * be had without waiting), with what {@code waiting} gives on the query thread. A failure of
     * either is a 503 for {@code what}.
     */
    private <T> void inPlaceOrOffLoop(Exchange ex, String what, Supplier<T> atOnce, Supplier<T> waiting,
                                      Function<T, FullHttpResponse> answer) {
        T now;
        try {
            now = atOnce.get();
        } catch (RuntimeException e) {
            ex.respond(failed(ex, what, e));
            return;
        }
        if (now != null) {
            ex.respond(orBusy(ex, what, () -> answer.apply(now)));
        } else {
            offLoop(ex, what, () -> answer.apply(waiting.get()));
        }
    }

    /**
     * How long an event loop waits, at most, for the windows' lock to answer in place. The window
     * stage holds it for one batch at a time (about a millisecond) and lets a waiting reader in
     * before its next; a longer wait means a slow query holds it, and the answer goes to the query
     * thread rather than hold up every connection of the loop.
     */
    static final long IN_PLACE_LOCK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * What the answer must reflect, taken as the request is read: a client's answered requests
     * are in every figure without waiting for events still in flight, so queries stay quick
     * under overload; a query pipelined behind this connection's own unanswered events waits for
     * those too.
     */
    private long readMark(Exchange ex) {
        return server.processor().readMark(ex.hasEarlierUnanswered()
            ? StreamProcessor.ReadAfter.PUBLISHED : StreamProcessor.ReadAfter.COMPLETED);
    }

    private static FullHttpResponse stats(Exchange ex, StatsSnapshot snapshot) {
        return Responses.json(HttpResponseStatus.OK, JsonBodies.stats(ex.alloc().buffer(512), snapshot));
    }

    private static FullHttpResponse aggregations(Exchange ex, List<WindowResult> windows) {
        return Responses.json(HttpResponseStatus.OK, JsonBodies.aggregations(ex.alloc().buffer(1024), windows));
    }

    /** The answer's body is computed before its buffer is taken where it can be, so a failing scrape leaks nothing. */
    private FullHttpResponse scrape(Exchange ex, String accept, MetricsSnapshot processor) {
        ByteBuf body = ex.alloc().buffer(lastScrapeBytes);
        try {
            String type = metrics.write(accept, new ByteBufOutputStream(body), processor);
            lastScrapeBytes = body.readableBytes();
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, false);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return r;
        } catch (IOException e) {
            body.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    /** {@code answer}, or a 503 if it fails. */
    private FullHttpResponse orBusy(Exchange ex, String what, Supplier<FullHttpResponse> answer) {
        try {
            return answer.get();
        } catch (RuntimeException e) {
            return failed(ex, what, e);
        }
    }

    /** The 503 for a {@code what} that failed; the failure goes to the error handler, not to the client. */
    private FullHttpResponse failed(Exchange ex, String what, RuntimeException e) {
        server.errors().onError(what, e);
        return Responses.busy(ex.alloc(), what + " failed, retry later");
    }

    /** Runs {@code answer} on the query thread, then answers on the connection's event loop, in order. */
    private void offLoop(Exchange ex, String what, Supplier<FullHttpResponse> answer) {
        ex.finisher = this;
        try {
            server.queries().execute(() -> {
                ex.prepared = orBusy(ex, what, answer);
                ex.finishOnEventLoop();
            });
        } catch (RejectedExecutionException e) {
            ex.respond(Responses.busy(ex.alloc(), "too many queries in flight, retry later"));
        }
    }

    /**
     * Runs each kind of answer once, into buffers that are dropped, before the server takes
     * connections. Event loops answer these in place, and the first scrape loads and initialises
     * the metrics library's classes: about 200 ms measured, for which it held up every connection
     * of its loop, health checks included.
     */
    void warmUp() {
        StreamProcessor p = server.processor();
        long mark = p.readMark(StreamProcessor.ReadAfter.PUBLISHED);
        for (String accept : new String[] {null, "application/openmetrics-text; version=1.0.0"}) {
            ByteBuf body = ByteBufAllocator.DEFAULT.buffer(lastScrapeBytes);
            try {
                metrics.write(accept, new ByteBufOutputStream(body), p.metricsSnapshot(mark));
                lastScrapeBytes = body.readableBytes();
            } catch (IOException | RuntimeException e) {
                server.errors().onError("metrics", e);
            } finally {
                body.release();
            }
        }
        JsonBodies.stats(ByteBufAllocator.DEFAULT.buffer(512), p.stats(mark)).release();
        JsonBodies.aggregations(ByteBufAllocator.DEFAULT.buffer(1024), p.aggregations(mark)).release();
    }

    /** Event loop: the query thread is done; answer with what it prepared. */
    @Override
    public void finish(Exchange ex) {
        FullHttpResponse r = ex.prepared;
        ex.prepared = null;
        ex.respond(r);
    }
}
