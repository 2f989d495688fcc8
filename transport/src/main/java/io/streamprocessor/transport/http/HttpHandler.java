package io.streamprocessor.transport.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.event.Rejection;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.json.BatchScanner;
import io.streamprocessor.transport.json.EventDecoder;
import io.streamprocessor.transport.json.JsonBodies;
import io.streamprocessor.transport.json.Utf8Validator;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The routes of the API on one connection, and the order of its responses: every request gets
 * an {@link Exchange} in arrival order, and responses leave strictly in that order however their
 * work finishes (pipelining). Reading pauses while too many requests wait for answers.
 *
 * <p>One instance per connection; every method runs on the connection's event loop.
 */
final class HttpHandler extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final ArrayDeque<Exchange> inOrder = new ArrayDeque<>();
    private final ArrayDeque<Exchange> pool = new ArrayDeque<>();
    private final int maxPending;
    private ChannelHandlerContext ctx;
    private boolean closing;
    /** A request that ends the connection was read: requests pipelined behind it are dropped unanswered. */
    private boolean lastRequestRead;
    private boolean readingPaused;
    private long idleMillis;

    HttpHandler(ServerContext server) {
        this.server = server;
        this.maxPending = server.settings().maxPendingPerConnection();
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        idleMillis = 0;
        if (msg instanceof FullHttpRequest req) {
            try {
                if (!closing && !lastRequestRead) {
                    onRequest(req);
                }
            } finally {
                req.release();
            }
        } else if (msg instanceof RejectedRequest rejected) {
            if (!closing && !lastRequestRead) {
                Exchange ex = open(rejected.keepAlive(), false);
                FullHttpResponse r = rejected.status() == HttpResponseStatus.SERVICE_UNAVAILABLE
                    ? Responses.busy(ctx.alloc(), rejected.message())
                    : Responses.error(ctx.alloc(), rejected.status(), rejected.message());
                respond(ex, r);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
        if (!readingPaused && inOrder.size() >= maxPending) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void onRequest(FullHttpRequest req) {
        long arrivalNanos = System.nanoTime();
        boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        Exchange ex = open(HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess(), http10);
        if (!req.decoderResult().isSuccess()) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST,
                "malformed HTTP request: " + req.decoderResult().cause().getMessage()));
            return;
        }
        String uri = req.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        HttpMethod method = req.method();
        switch (path) {
            case "/events" -> {
                if (method.equals(HttpMethod.POST)) {
                    ingestSingle(ex, req, arrivalNanos);
                } else {
                    respond(ex, Responses.methodNotAllowed(ctx.alloc(), method.name(), path, "POST"));
                }
            }
            case "/events/batch" -> {
                if (method.equals(HttpMethod.POST)) {
                    ingestBatch(ex, req, arrivalNanos);
                } else {
                    respond(ex, Responses.methodNotAllowed(ctx.alloc(), method.name(), path, "POST"));
                }
            }
            case "/aggregations", "/stats", "/health" -> {
                if (!method.equals(HttpMethod.GET)) {
                    respond(ex, Responses.methodNotAllowed(ctx.alloc(), method.name(), path, "GET"));
                } else if (path.equals("/health")) {
                    health(ex);
                } else {
                    query(ex, path.equals("/stats"));
                }
            }
            default -> respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not found: " + path));
        }
    }

    // ------------------------------------------------------------------ ingestion

    private void ingestSingle(Exchange ex, FullHttpRequest req, long arrivalNanos) {
        if (!isJson(req)) {
            respond(ex, unsupportedMediaType(req));
            return;
        }
        String invalidUtf8 = checkUtf8(req.content());
        if (invalidUtf8 != null) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, invalidUtf8));
            return;
        }
        ServerContext.IoState io = server.io();
        Ingestor in = io.ingestor();
        EventDecoder decoder = io.decoder();
        ex.kind = Exchange.Kind.SINGLE;
        if (!in.claim(1, ex, arrivalNanos)) {
            respond(ex, Responses.busy(ctx.alloc(), "pipeline full, retry later"));
            return;
        }
        decodeAndPublish(ex, in, decoder, req.content(), 0);
    }

    private void ingestBatch(Exchange ex, FullHttpRequest req, long arrivalNanos) {
        if (!isJson(req)) {
            respond(ex, unsupportedMediaType(req));
            return;
        }
        ByteBuf body = req.content();
        int limit = server.settings().maxBatchEvents();
        int n = BatchScanner.count(body, limit);
        if (n > limit) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "batch: more than " + limit + " events"));
            return;
        }
        String invalidUtf8 = checkUtf8(body);
        if (invalidUtf8 != null) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, invalidUtf8));
            return;
        }
        ServerContext.IoState io = server.io();
        if (n <= 0) {
            String error = checkEmptyBatch(io.decoder(), body, n);
            respond(ex, error != null
                ? Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, error)
                : Responses.json(HttpResponseStatus.OK, batchCounts(0, 0, 0)));
            return;
        }
        Ingestor in = io.ingestor();
        EventDecoder decoder = io.decoder();
        ex.kind = Exchange.Kind.BATCH;
        if (!in.claim(n, ex, arrivalNanos)) {
            respond(ex, Responses.busy(ctx.alloc(), "pipeline full, retry later"));
            return;
        }
        decodeAndPublish(ex, in, decoder, body, n);
    }

    /**
     * Decodes the body into the slots just claimed and publishes them; if the body turns out
     * malformed, publishes them void (no stage counts them) and answers 400 naming the problem.
     *
     * @param batch the number of claimed slots for a batch, 0 for a single event
     */
    private void decodeAndPublish(Exchange ex, Ingestor in, EventDecoder decoder, ByteBuf body, int batch) {
        String error = "invalid request body";
        boolean decoded = false;
        try (JsonParser p = decoder.parser(new ByteBufInputStream(body))) {
            error = batch == 0 ? decodeSingle(p, decoder, in.slot(0)) : decodeBatch(p, decoder, in, batch);
            decoded = error == null;
        } catch (IOException e) {
            error = malformed(e);
        } catch (RuntimeException e) {
            server.errors().onError(batch == 0 ? "decode /events" : "decode /events/batch", e);
        } finally {
            if (decoded) {
                in.publish(); // in the inline topology this may already answer the exchange
            } else {
                in.publishVoid();
            }
        }
        if (!decoded) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, error));
        }
    }

    /** One event object and nothing after it; returns the 400 message, or null when well-formed. */
    private static String decodeSingle(JsonParser p, EventDecoder decoder, EventWriter slot) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            decoder.decodeObject(p, slot);
            return p.nextToken() == null ? null : "malformed JSON: unexpected content after the event";
        }
        if (t == null) {
            return "malformed JSON: empty body";
        }
        p.skipChildren();
        return p.nextToken() == null ? Rejection.NOT_AN_OBJECT.message() : "malformed JSON: unexpected content after the value";
    }

    /** An array of exactly {@code n} elements (as the scanner counted); a non-object element is rejected alone. */
    private static String decodeBatch(JsonParser p, EventDecoder decoder, Ingestor in, int n) throws IOException {
        p.nextToken(); // '[' as the scanner found
        for (int i = 0; i < n; i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                decoder.decodeObject(p, in.slot(i));
            } else if (t == null || t == JsonToken.END_ARRAY) {
                return "malformed JSON: unexpected end of array";
            } else {
                in.slot(i).reject(Rejection.NOT_AN_OBJECT);
                p.skipChildren();
            }
        }
        return p.nextToken() == JsonToken.END_ARRAY && p.nextToken() == null
            ? null : "malformed JSON: unexpected content after the array";
    }

    /** For a body the scanner found empty or not an array: null when it is exactly {@code []}, else the 400 message. */
    private static String checkEmptyBatch(EventDecoder decoder, ByteBuf body, int scanned) {
        try (JsonParser p = decoder.parser(new ByteBufInputStream(body.duplicate()))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return "malformed JSON: empty body";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "malformed JSON: unexpected content after the value";
            }
            return scanned == BatchScanner.NOT_AN_ARRAY || t != JsonToken.START_ARRAY
                ? "batch: body must be a JSON array of events" : null;
        } catch (IOException e) {
            return malformed(e);
        }
    }

    /** Event loop: the engine has finished an ingestion; answer it. */
    void onIngestionDone(Exchange ex) {
        FullHttpResponse r;
        if (ex.kind == Exchange.Kind.SINGLE) {
            if (ex.processed() == 1) {
                r = Responses.processed(ctx.alloc());
            } else if (ex.filtered() == 1) {
                r = Responses.filtered(ctx.alloc());
            } else {
                r = Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, ex.errorMessage(0));
            }
        } else if (ex.rejected() == 0) {
            r = Responses.json(HttpResponseStatus.OK, batchCounts(ex.expected(), ex.processed(), ex.filtered()));
        } else {
            r = Responses.json(HttpResponseStatus.OK, JsonBodies.batchResult(ctx.alloc().buffer(256), ex));
        }
        respond(ex, r);
    }

    private ByteBuf batchCounts(int total, int processed, int filtered) {
        ByteBuf buf = ctx.alloc().buffer(64);
        Responses.ascii(buf, "{\"total\":");
        Responses.number(buf, total);
        Responses.ascii(buf, ",\"processed\":");
        Responses.number(buf, processed);
        Responses.ascii(buf, ",\"filtered\":");
        Responses.number(buf, filtered);
        buf.writeByte('}');
        return buf;
    }

    // ------------------------------------------------------------------ queries

    private void health(Exchange ex) {
        StreamProcessor.Health h = server.processor().health();
        ByteBuf body = JsonBodies.health(ctx.alloc().buffer(160), h, server.uptimeSeconds());
        HttpResponseStatus status = h.status() == StreamProcessor.Health.Status.UNHEALTHY
            ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK;
        respond(ex, Responses.json(status, body));
    }

    /** Runs a query off the event loop (it may wait for the pipeline to catch up), then answers in order. */
    private void query(Exchange ex, boolean stats) {
        EventExecutor loop = ctx.executor();
        try {
            server.queries().execute(() -> {
                FullHttpResponse r;
                try {
                    StreamProcessor p = server.processor();
                    ByteBuf buf = ctx.alloc().buffer(stats ? 512 : 1024);
                    r = Responses.json(HttpResponseStatus.OK,
                        stats ? JsonBodies.stats(buf, p.stats()) : JsonBodies.aggregations(buf, p.aggregations()));
                } catch (RuntimeException e) {
                    server.errors().onError("query", e);
                    r = Responses.busy(ctx.alloc(), "query failed, retry later");
                }
                FullHttpResponse response = r;
                loop.execute(() -> respond(ex, response));
            });
        } catch (RejectedExecutionException e) {
            respond(ex, Responses.busy(ctx.alloc(), "too many queries in flight, retry later"));
        }
    }

    // ------------------------------------------------------------------ ordering

    private Exchange open(boolean keepAlive, boolean http10) {
        Exchange ex = pool.pollFirst();
        if (ex == null) {
            ex = new Exchange(this);
        }
        ex.begin(keepAlive && !server.isDraining(), http10);
        inOrder.addLast(ex);
        if (!ex.keepAlive) {
            // RFC 9112 9.6: nothing after the request that closes the connection is processed. Reading goes
            // on (and drops what it reads) so that the close does not meet unread bytes and reset the answer.
            lastRequestRead = true;
        }
        return ex;
    }

    /** Gives the exchange its response and writes every response now due, in request order. */
    private void respond(Exchange ex, FullHttpResponse response) {
        ex.response = response;
        boolean wrote = false;
        while (!inOrder.isEmpty() && inOrder.peekFirst().response != null) {
            Exchange head = inOrder.pollFirst();
            FullHttpResponse r = head.response;
            head.response = null;
            if (closing) {
                r.release();
            } else if (!head.keepAlive) {
                closing = true;
                Responses.connection(r, false, head.http10);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                Responses.connection(r, true, head.http10);
                ctx.write(r, ctx.voidPromise());
                wrote = true;
            }
            if (pool.size() < maxPending) {
                pool.addLast(head);
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (readingPaused && !closing && inOrder.size() <= maxPending / 2) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (inOrder.isEmpty()) {
                idleMillis += server.settings().requestTimeoutMillis();
                if (idleMillis >= server.settings().idleTimeoutMillis()) {
                    ctx.close();
                }
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors such as a reset by the peer end the connection; nothing to answer.
        ctx.close();
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isJson(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return true;
        }
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return media.equalsIgnoreCase("application/json")
            || (media.regionMatches(true, 0, "application/", 0, 12) && media.toLowerCase().endsWith("+json"));
    }

    private FullHttpResponse unsupportedMediaType(FullHttpRequest req) {
        return Responses.error(ctx.alloc(), HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported Content-Type '" + req.headers().get(HttpHeaderNames.CONTENT_TYPE)
                + "': send application/json");
    }

    /** Null when the body is well-formed UTF-8, else the 400 message. */
    private static String checkUtf8(ByteBuf body) {
        int at = Utf8Validator.firstInvalid(body);
        return at < 0 ? null : "malformed JSON: invalid UTF-8 at byte " + (at - body.readerIndex());
    }

    private static String malformed(IOException e) {
        if (e instanceof JsonProcessingException j) {
            String where = j.getLocation() == null ? ""
                : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
            return "malformed JSON: " + j.getOriginalMessage() + where;
        }
        return "malformed JSON: " + e.getMessage();
    }
}
