package io.streamprocessor.transport.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamprocessor.transport.metrics.HttpRequestCounts;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A connection's answers in request order, its fate, and its flow control. Every request, and
 * every {@link RejectedRequest} standing in for one, opens an {@link Exchange} in arrival order;
 * a well-formed request goes on down the pipeline inside its exchange to be answered there, and
 * answers leave strictly in that order however their work finishes (HTTP/1.1 pipelining). The
 * answer to a request that ends the connection ({@code Connection: close}, HTTP/1.0 without
 * keep-alive, a broken request, a server draining) ends it once written, with a lingering close
 * (see {@link #lingeringClose}), and nothing read after that request is processed. Reading pauses while {@code maxPendingPerConnection}
 * requests wait for answers and resumes at half that, and pauses for the {@code Retry-After}
 * time when a client shed with it sends events again sooner. On the idle clock's event the connection closes if
 * nothing is outstanding.
 *
 * <p>Owns each request it reads: it lends it to the pipeline inside the exchange for the one
 * synchronous call and releases it afterwards. Malformed HTTP is answered here, in words about
 * the request (never the codec's text).
 *
 * <p>One per connection; every method runs on the connection's event loop.
 */
final class ResponseOrder extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final IdleStateHandler idleClock;
    private final HttpRequestCounts requests;
    private final ArrayDeque<Exchange> inOrder = new ArrayDeque<>();
    private final ArrayDeque<Exchange> pool = new ArrayDeque<>();
    private final int maxPending;
    private ChannelHandlerContext ctx;
    private Completions completions;
    private boolean closing;
    /** A request that ends the connection was read: requests pipelined behind it are dropped unanswered. */
    private boolean lastRequestRead;
    private boolean readingPaused;
    /** The idle clock ran out while answers were outstanding: restart it once they are all out. */
    private boolean idleWhileBusy;
    private static final long RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(Responses.RETRY_AFTER_SECONDS);
    /** How long a connection whose last answer is written goes on being read, at most, before it closes. */
    static final long LINGER_MILLIS = 2_000;
    /**
     * Ends the connection once its last answer is written, as servers do with a lingering close:
     * the server's side is shut (the client reads the answer, then the end), and what the client
     * still sends is read and dropped until it closes its side, or for {@link #LINGER_MILLIS}. Closing
     * outright with the client's bytes unread makes the kernel reset the connection, and a client
     * that reads its answer only after sending its whole request (most do) loses the answer to the
     * reset: a 503 or 413 answered at the request's head, ahead of a body still on its way, was
     * lost so (22 of 320 new clients probing with batches during a flood).
     */
    private final ChannelFutureListener lingeringClose = written -> {
        Channel ch = written.channel();
        if (!written.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(true);
        duplex.shutdownOutput().addListener((ChannelFuture shut) -> {
            if (!shut.isSuccess()) {
                ch.close();
            }
        });
        ScheduledFuture<?> limit = ch.eventLoop().schedule(() -> {
            ch.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(closed -> limit.cancel(false));
    };
    /** Not read until {@link #endBackOff} runs: see {@link #shedEvents()}. */
    private boolean backingOff;
    private boolean shedBefore;
    private long lastShedNanos;
    private final Runnable endBackOff = () -> {
        backingOff = false;
        updateReading();
    };

    /**
     * @param idleClock the connection's idle-timeout handler, whose events this acts on
     * @param requests  counts every answer, by route and status, for {@code /metrics}
     */
    ResponseOrder(ServerContext server, IdleStateHandler idleClock, HttpRequestCounts requests) {
        this.server = server;
        this.idleClock = idleClock;
        this.requests = requests;
        this.maxPending = server.settings().maxPendingPerConnection();
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.completions = server.io().completions();
    }

    /** Where the completion stage hands this connection's finished ingestions to its I/O thread. */
    Completions completions() {
        return completions;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
                respond(ex, rejected.status() == HttpResponseStatus.SERVICE_UNAVAILABLE
                    ? Responses.busy(ctx.alloc(), rejected.message())
                    : Responses.error(ctx.alloc(), rejected.status(), rejected.message()));
                if (rejected.backOff()) {
                    shedEvents();
                }
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
        updateReading();
    }

    /**
     * Events of this connection were shed unparsed, with {@code Retry-After}. A client shed again
     * within that time did not wait as asked: the connection is then not read for that time, so
     * that such a client, however fast it sends, costs the server nothing until then (its bytes
     * wait in the kernel). A client that waits as asked is never held.
     */
    void shedEvents() {
        long now = System.nanoTime();
        boolean again = shedBefore && now - lastShedNanos < RETRY_AFTER_NANOS;
        shedBefore = true;
        lastShedNanos = now;
        if (again && !backingOff && !closing) {
            backingOff = true;
            ctx.executor().schedule(endBackOff, RETRY_AFTER_NANOS, TimeUnit.NANOSECONDS);
            updateReading();
        }
    }

    /** Reads while fewer than {@code maxPending} answers are outstanding (resuming at half) and not backing off. */
    private void updateReading() {
        boolean pause = backingOff || inOrder.size() >= maxPending
            || (readingPaused && inOrder.size() > maxPending / 2);
        if (pause != readingPaused && !closing) {
            readingPaused = pause;
            ctx.channel().config().setAutoRead(!pause);
        }
    }

    private void onRequest(FullHttpRequest req) {
        boolean wellFormed = req.decoderResult().isSuccess();
        Exchange ex = open(wellFormed && HttpUtil.isKeepAlive(req), req.protocolVersion().equals(HttpVersion.HTTP_1_0));
        if (!wellFormed) {
            respond(ex, Responses.error(ctx.alloc(), HttpResponseStatus.BAD_REQUEST, malformedHttp(req.decoderResult().cause())));
            return;
        }
        ex.request = req;
        try {
            ctx.fireChannelRead(ex);
        } finally {
            ex.request = null;
        }
    }

    /** The codec's reason, told in words about the request; the codec's own text is not passed on. */
    private String malformedHttp(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return "request line longer than " + server.settings().maxInitialLineBytes() + " bytes";
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return "request headers larger than " + server.settings().maxHeaderBytes() + " bytes";
        }
        if (cause instanceof InvalidLineSeparatorException) {
            return "malformed HTTP request: lines must end in CR LF";
        }
        if (cause instanceof ContentLengthNotAllowedException) {
            return "malformed HTTP request: Content-Length and Transfer-Encoding together";
        }
        return "malformed HTTP request: the request line, a header or the chunked body is not valid HTTP/1.1";
    }

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

    /** Nothing of the connection is owed or held back: no answer outstanding, not closing, not backing off. */
    boolean quiet() {
        return inOrder.isEmpty() && !closing && !lastRequestRead && !backingOff && !readingPaused;
    }

    /** Whether a request read before {@code ex} still waits for its answer. */
    boolean hasEarlierUnanswered(Exchange ex) {
        for (Exchange e : inOrder) {
            if (e == ex) {
                return false;
            }
            if (e.response == null) {
                return true;
            }
        }
        return false;
    }

    /** Gives the exchange its response and writes every response now due, in request order. */
    void respond(Exchange ex, FullHttpResponse response) {
        requests.count(ex.route == null ? -1 : ex.route.ordinal(), response.status().code());
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
                ctx.writeAndFlush(r).addListener(lingeringClose);
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
        updateReading();
        if (idleWhileBusy && inOrder.isEmpty()) {
            idleWhileBusy = false;
            idleClock.resetReadTimeout(); // idle from now, not from the last request read
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // Only the idle clock's events get here (RequestTimeout keeps its own). A connection waiting
            // for its own answers is not idle, however long they take.
            if (inOrder.isEmpty()) {
                ctx.close();
            } else {
                idleWhileBusy = true;
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
}
