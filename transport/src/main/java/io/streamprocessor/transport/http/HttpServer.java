package io.streamprocessor.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateHandler;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.metrics.ServerMetrics;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 front door of a {@link StreamProcessor}, on a {@link NettyServer}. Per
 * connection, after the HTTP codec, handlers with one job each: {@link RequestTimeout} (408),
 * an {@link IdleStateHandler} as the idle clock, {@link RequestGuard} (the body budget), an
 * aggregator bounded by the body limit (413), {@link ResponseOrder} (answers in request order,
 * keep-alive, flow control, idle close, and counting every answer for {@code /metrics}), then the
 * shared {@link Router}, {@link Ingestion}, {@link Queries} and {@link Dashboard}.
 *
 * <p>{@link #close()} drains: it stops accepting, lets the processor finish every accepted
 * event (so every acknowledged request is answered), then closes connections and threads.
 */
public final class HttpServer implements AutoCloseable {
    private final ServerContext context;
    private final NettyServer netty;
    private boolean closed;

    private HttpServer(ServerContext context, NettyServer netty) {
        this.context = context;
        this.netty = netty;
    }

    /** Binds and starts serving; the processor must be started. */
    public static HttpServer start(StreamProcessor processor, ServerSettings settings) throws InterruptedException {
        if (processor.ringCapacity() < settings.maxBatchEvents()) {
            throw new IllegalArgumentException("ring size " + processor.ringCapacity()
                + " is smaller than the batch limit " + settings.maxBatchEvents() + ": a full batch could never be taken");
        }
        ServerContext context = new ServerContext(processor, settings);
        ServerMetrics metrics = new ServerMetrics(
            Arrays.stream(Exchange.Route.values()).map(r -> r.path).toList());
        Router router = new Router();
        Ingestion ingestion = new Ingestion(context);
        Queries queries = new Queries(context, metrics);
        queries.warmUp();
        Dashboard dashboard = new Dashboard();
        NettyServer netty = NettyServer.bind(settings, "sp-io", p -> {
            IdleStateHandler idleClock = new IdleStateHandler(settings.idleTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS);
            p.addLast(new RequestTimeout(settings.requestTimeoutMillis()), idleClock);
            p.addLast(new RequestGuard(context));
            p.addLast(new BoundedAggregator(settings.maxBodyBytes()));
            p.addLast(new ResponseOrder(context, idleClock, metrics.http()), router, ingestion, queries, dashboard);
        }, (p, head) -> RequestGuard.carriesEvents(head) && p.get(ResponseOrder.class).quiet() && context.shedOnControlLoop() == null);
        context.controlLoop(netty.controlLoop());
        return new HttpServer(context, netty);
    }

    public InetSocketAddress address() {
        return netty.address();
    }

    public int port() {
        return address().getPort();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return netty.transport();
    }

    /** The processor's topology, as the configuration names it ({@code inline}, {@code per-stage}, ...). */
    public String topology() {
        return context.processor().settings().topology().configName();
    }

    /**
     * Stops accepting connections, drains the processor so every accepted request is answered,
     * then closes connections and I/O threads. The processor is closed too. Idempotent: a second
     * call returns once the first has finished.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.startDraining();
        netty.stopAccepting();
        context.processor().close();
        context.shutdownQueries();
        // Every answer the pipeline owes is handed over by now; write them before the connections close.
        netty.runOnEachLoop(() -> context.io().completions().drainAll());
        netty.close();
    }

    /** Aggregates a request's body up to the limit; past it, a 413 takes the request's turn. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // The aggregator drops the rest of the body, so the connection can go on. Closing while the body
            // still arrives would reset the connection, which can destroy the 413 before the client reads it.
            // Only a client waiting for 100-continue, which may never send the body, is closed on.
            boolean keepAlive = HttpUtil.isKeepAlive(oversized) && !HttpUtil.is100ContinueExpected(oversized);
            ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body larger than the limit of " + maxContentLength() + " bytes", keepAlive));
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            if (start.decoderResult().isSuccess() && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
                return null; // no 100-continue: the 413 follows in order
            }
            return super.newContinueResponse(start, maxContentLength, pipeline);
        }
    }
}
