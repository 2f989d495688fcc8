package io.streamprocessor.transport.http;

import io.netty.buffer.ByteBuf;
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
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowQuery;
import io.streamprocessor.engine.window.WindowResult;
import io.streamprocessor.transport.json.JsonBodies;
import io.streamprocessor.transport.metrics.ServerMetrics;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers the read side of the API. {@code GET /aggregations}, {@code GET /stats} and
 * {@code GET /metrics} run on the server's one query thread, because they first wait (boundedly)
 * for the pipeline to catch up, and a scrape of many {@code type:source} series takes milliseconds
 * that an event loop owes its connections; their queue is bounded and a query past it gets 503. {@code GET /health} answers on the event
 * loop and never waits, so it stays quick when the pipeline is full.
 *
 * <p>Stateless, shared by every connection. {@link #channelRead} and {@link #finish} run on a
 * connection's event loop; the query itself on the query thread, which hands its response back
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

    /** Runs a query off the event loop (it may wait for the pipeline to catch up), then answers in order. */
    private void query(Exchange ex, boolean stats) {
        // parameters are read here, from the request lent for this call; a bad one is answered at once
        AggregationParameters.Parsed params = stats ? null : AggregationParameters.parse(ex.request.uri());
        if (params != null && params.error() != null) {
            ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, params.error()));
            return;
        }
        WindowQuery selection = params == null ? null : params.query();
        ex.finisher = this;
        // A client's answered requests are in every figure without waiting for events still in flight, so queries stay
        // quick under overload; a query pipelined behind this connection's own unanswered events waits for those too.
        StreamProcessor.ReadAfter after = ex.hasEarlierUnanswered()
            ? StreamProcessor.ReadAfter.PUBLISHED : StreamProcessor.ReadAfter.COMPLETED;
        try {
            server.queries().execute(() -> {
                FullHttpResponse r;
                try {
                    // The answer is computed before its buffer is taken, so a failing query leaks no buffer.
                    StreamProcessor p = server.processor();
                    if (stats) {
                        StatsSnapshot snapshot = p.stats(after);
                        r = Responses.json(HttpResponseStatus.OK, JsonBodies.stats(ex.alloc().buffer(512), snapshot));
                    } else {
                        List<WindowResult> windows = selection == null ? p.aggregations(after) : p.aggregations(after, selection);
                        r = Responses.json(HttpResponseStatus.OK, JsonBodies.aggregations(ex.alloc().buffer(1024), windows));
                    }
                } catch (RuntimeException e) {
                    server.errors().onError("query", e);
                    r = Responses.busy(ex.alloc(), "query failed, retry later");
                }
                ex.prepared = r;
                ex.finishOnEventLoop();
            });
        } catch (RejectedExecutionException e) {
            ex.respond(Responses.busy(ex.alloc(), "too many queries in flight, retry later"));
        }
    }

    /** Runs a scrape on the query thread, in the format {@code accept} asks for, then answers in order. */
    private void scrape(Exchange ex, String accept) {
        ex.finisher = this;
        try {
            server.queries().execute(() -> {
                FullHttpResponse r;
                ByteBuf body = ex.alloc().buffer(lastScrapeBytes);
                try {
                    String type = metrics.write(accept, new ByteBufOutputStream(body));
                    lastScrapeBytes = body.readableBytes();
                    r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, false);
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                } catch (IOException | RuntimeException e) {
                    body.release();
                    server.errors().onError("metrics", e);
                    r = Responses.busy(ex.alloc(), "metrics failed, retry later");
                }
                ex.prepared = r;
                ex.finishOnEventLoop();
            });
        } catch (RejectedExecutionException e) {
            ex.respond(Responses.busy(ex.alloc(), "too many queries in flight, retry later"));
        }
    }

    /** Event loop: the query thread is done; answer with what it prepared. */
    @Override
    public void finish(Exchange ex) {
        FullHttpResponse r = ex.prepared;
        ex.prepared = null;
        ex.respond(r);
    }
}
