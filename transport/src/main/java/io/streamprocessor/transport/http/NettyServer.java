package io.streamprocessor.transport.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A bound Netty HTTP/1.1 listener with the server's transport choices (native epoll where
 * available, NIO otherwise), socket options and HTTP codec limits; the caller adds the rest of
 * each connection's pipeline, timeouts included. Shared by {@link HttpServer} and the perf
 * baselines, so a baseline differs from the real server only in what it does with a request.
 *
 * <p>New connections are accepted on a thread of their own, which sleeps in the kernel between
 * them. Measured: with the listening socket on the same epoll loop as the connections, a loop
 * kept busy by a few hundred connections never came back to accept, and a new connection (a
 * health probe) waited for the whole flood, 9 s; on its own thread it was accepted at once.
 * {@link HttpServer} goes further: its connections start on that thread, the control loop, and
 * move to an I/O thread with their first events ({@link Handoff}), so that connections that only
 * read are never behind a busy loop.
 */
public final class NettyServer implements AutoCloseable {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup group;
    private final Channel channel;
    private final boolean epoll;

    private NettyServer(EventLoopGroup acceptor, EventLoopGroup group, Channel channel, boolean epoll) {
        this.acceptor = acceptor;
        this.group = group;
        this.channel = channel;
        this.epoll = epoll;
    }

    /**
     * Binds to the settings' host and port. {@code tail} appends the handlers that follow the
     * HTTP codec on every new connection; it runs on that connection's event loop.
     */
    public static NettyServer bind(ServerSettings settings, String threadName, Consumer<ChannelPipeline> tail)
        throws InterruptedException {
        return bind(settings, threadName, tail, null);
    }

    /**
     * As {@link #bind(ServerSettings, String, Consumer)}, but every new connection starts on the
     * acceptor's thread, the control loop, and moves to an I/O thread at the first request that
     * {@code moves} picks ({@link Handoff}); connections that never send one stay on the control
     * loop. Null {@code moves} puts every connection on an I/O thread at once.
     */
    static NettyServer bind(ServerSettings settings, String threadName, Consumer<ChannelPipeline> tail,
                            BiPredicate<ChannelPipeline, HttpRequest> moves) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName + (moves == null ? "-accept" : "-control"), true), io);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.effectiveEventLoops(),
            new DefaultThreadFactory(threadName, true), io);
        try {
            ChannelHandler init = new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    p.addLast(new HttpServerCodec(settings.maxInitialLineBytes(), settings.maxHeaderBytes(), 65_536));
                    if (moves != null) {
                        p.addLast(new Handoff(group, tail, moves));
                    }
                    tail.accept(p);
                }
            };
            Channel channel = new ServerBootstrap()
                .group(acceptor, moves == null ? group : acceptor)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init)
                .bind(settings.host(), settings.port()).sync().channel();
            return new NettyServer(acceptor, group, channel, epoll);
        } catch (InterruptedException | RuntimeException e) {
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** Runs {@code task} on each thread that serves connections, the control loop included, and waits (at most 5 s each) for it to finish. */
    public void runOnEachLoop(Runnable task) {
        for (EventExecutor loop : acceptor) {
            loop.submit(task).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (EventExecutor loop : group) {
            loop.submit(task).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** The acceptor's thread, which is also the control loop where connections start (see {@link #bind(ServerSettings, String, Consumer, BiPredicate)}). */
    EventExecutor controlLoop() {
        return acceptor.next();
    }

    /** Stops accepting new connections; open ones stay until {@link #close()}. */
    public void stopAccepting() {
        channel.close().syncUninterruptibly();
    }

    /**
     * Closes every connection and the I/O threads. Responses already handed to the event loops
     * as tasks are written first: a loop that starts shutting down closes its channels before it
     * runs what is queued, so each loop is first made to run its queue (tasks run in order, so
     * once an empty task has run, every response queued before it has been written).
     */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        runOnEachLoop(() -> { });
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        group.shutdownGracefully(200, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
