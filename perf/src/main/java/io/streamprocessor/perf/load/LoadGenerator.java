package io.streamprocessor.perf.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: HTTP/1.1 keep-alive over several connections, open loop at a constant
 * rate (latency from intended send times, as wrk2) or closed loop at full speed with optional
 * pipelining; see {@link LoadOptions#USAGE}. Bounded in time, stops by itself, and only ever
 * targets the address it is given (loopback in every script of this project).
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage() + "\nTry --help.");
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadReport report = run(options);
        System.out.println(LoadReport.header());
        System.out.println(report.row());
        if (options.jsonOut() != null) {
            Files.writeString(Path.of(options.jsonOut()), report.toJson() + "\n", StandardCharsets.UTF_8);
        }
    }

    /** Runs the load described by {@code o} and reports it. */
    public static LoadReport run(LoadOptions o) throws InterruptedException, IOException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads(), new DefaultThreadFactory("load", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            RequestBodies bodies = new RequestBodies(o);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            long measureStart = start + (long) (o.warmupSeconds() * 1e9);
            long measureEnd = measureStart + (long) (o.durationSeconds() * 1e9);
            LoadRun run = new LoadRun(measureStart, measureEnd);
            long interval = o.openLoop() ? (long) (o.connections() * 1e9 / o.rate()) : 0;
            List<LoadConnection> connections = new ArrayList<>();
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < o.connections(); i++) {
                long first = start + (interval == 0 ? 0 : interval * i / o.connections());
                LoadConnection c = new LoadConnection(run, bodies, o.depth(), interval, first, o.retryAfter());
                connections.add(c);
                ChannelFuture f = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(c);
                        }
                    })
                    .connect(o.host(), o.port());
                if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
                    throw new IOException("cannot connect to " + o.host() + ":" + o.port()
                        + (f.cause() == null ? "" : ": " + f.cause().getMessage()));
                }
                channels.add(f.channel());
            }
            while (System.nanoTime() < measureEnd) {
                bodies.refreshIfStale();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            run.sending = false;
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < drainDeadline && inFlight(connections) > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long end = System.nanoTime();
            for (int i = 0; i < channels.size(); i++) {
                LoadConnection c = connections.get(i);
                channels.get(i).eventLoop().submit(() -> c.recordNeverSent(end)).await(5, TimeUnit.SECONDS);
            }
            for (Channel ch : channels) {
                ch.close().await(5, TimeUnit.SECONDS);
            }
            return LoadReport.of(o, run, run.corrected(), run.uncorrected(), run.shed());
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static int inFlight(List<LoadConnection> connections) {
        int n = 0;
        for (LoadConnection c : connections) {
            n += c.inFlight();
        }
        return n;
    }
}
