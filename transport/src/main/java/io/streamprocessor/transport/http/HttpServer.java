package io.streamprocessor.transport.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.streamprocessor.engine.pipeline.StreamProcessor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 front door of a {@link StreamProcessor}, on Netty: native epoll where the
 * platform has it, NIO otherwise. Per connection: decoder, {@link RequestGuard}, aggregator
 * (bounded by the body limit), and the routes in {@link HttpHandler}.
 *
 * <p>{@link #close()} drains: it stops accepting, lets the processor finish every accepted
 * event (so every acknowledged request is answered), then closes connections and threads.
 */
public final class HttpServer implements AutoCloseable {
    private final ServerContext context;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final boolean epoll;
    private boolean closed;

    private HttpServer(ServerContext context, EventLoopGroup group, Channel serverChannel, boolean epoll) {
        this.context = context;
        this.group = group;
        this.serverChannel = serverChannel;
        this.epoll = epoll;
    }

    /** Binds and starts serving; the processor must be started. */
    public static HttpServer start(StreamProcessor processor, ServerSettings settings) throws InterruptedException {
        if (processor.ringCapacity() < settings.maxBatchEvents()) {
            throw new IllegalArgumentException("ring size " + processor.ringCapacity()
                + " is smaller than the batch limit " + settings.maxBatchEvents() + ": a full batch could never be taken");
        }
        ServerContext context = new ServerContext(processor, settings);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.effectiveEventLoops(),
            new DefaultThreadFactory("sp-io", true), io);
        try {
            ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(new IdleStateHandler(settings.requestTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        p.addLast(new HttpServerCodec(settings.maxInitialLineBytes(), settings.maxHeaderBytes(), 65_536));
                        p.addLast(new RequestGuard(context.budget(), settings.maxBodyBytes()));
                        p.addLast(new BoundedAggregator(settings.maxBodyBytes()));
                        p.addLast(new HttpHandler(context));
                    }
                });
            Channel channel = b.bind(settings.host(), settings.port()).sync().channel();
            return new HttpServer(context, group, channel, epoll);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return epoll ? "epoll" : "nio";
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
        serverChannel.close().syncUninterruptibly();
        context.processor().close();
        context.shutdownQueries();
        // The drain hands its responses to the event loops as tasks, but a loop that starts shutting down
        // closes its channels before it runs what is queued. So first let every loop run its queue: tasks
        // run in order, so once this one has run, every response before it has been written.
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(200, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Aggregates a request's body up to the limit; past it, a 413 takes the request's turn. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(io.netty.channel.ChannelHandlerContext ctx, HttpMessage oversized) {
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
