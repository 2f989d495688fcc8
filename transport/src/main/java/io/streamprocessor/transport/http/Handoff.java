package io.streamprocessor.transport.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Moves a connection from the control loop, where every connection starts, to an ingestion
 * loop, at the head of its first request that {@code moves} says carries work for the ingestion
 * loops, provided nothing of the connection is in flight then. Connections that only read
 * ({@code /health}, {@code /stats}, {@code /metrics}, {@code /aggregations}, the dashboard) stay
 * on the control loop, which has no ingestion connections to serve and so answers them at once
 * however overloaded the ingestion loops are: a liveness probe opening a fresh connection never
 * waits for a pass over hundreds of busy connections.
 *
 * <p>The move: reading stops; the handlers behind this one are removed (their timers cancelled on
 * the control loop), and the channel is deregistered from the control loop and registered with an
 * ingestion loop. There, fresh handlers are appended ({@code tail}), reading resumes, and what the
 * codec had already decoded (the request's head and whatever of the connection's bytes followed
 * it in the same read) is passed on in order before this handler removes itself. Nothing of the
 * connection runs on two threads at once: deregistration runs as a task after the current read,
 * and nothing is read between it and the registration.
 *
 * <p>When {@code moves} says no to a request that carries events (for {@link HttpServer}: an
 * answer of the same connection is still owed, as for a POST pipelined behind a query, or the
 * events are to be shed at once), the control loop serves it; the connection may move at a later
 * head. One per connection on the control loop.
 */
final class Handoff extends ChannelInboundHandlerAdapter {
    private final EventLoopGroup ingestionLoops;
    private final Consumer<ChannelPipeline> tail;
    private final BiPredicate<ChannelPipeline, HttpRequest> moves;
    /** What the codec decoded after the move began, passed on once it is done; null when not moving. */
    private ArrayDeque<Object> held;

    /**
     * @param moves whether this request, read with the given pipeline, moves its connection now;
     *              asked at every head read on the control loop
     */
    Handoff(EventLoopGroup ingestionLoops, Consumer<ChannelPipeline> tail, BiPredicate<ChannelPipeline, HttpRequest> moves) {
        this.ingestionLoops = ingestionLoops;
        this.tail = tail;
        this.moves = moves;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            held.addLast(msg);
        } else if (msg instanceof HttpRequest req && req.decoderResult().isSuccess() && moves.test(ctx.pipeline(), req)) {
            held = new ArrayDeque<>();
            held.addLast(msg);
            move(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held == null) {
            ctx.fireChannelReadComplete();
        }
    }

    private void move(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        ChannelPipeline p = ctx.pipeline();
        // Everything behind this handler is rebuilt on the ingestion loop, so that its timers and per-thread state are that loop's.
        while (p.last() != this) {
            p.removeLast();
        }
        ctx.deregister().addListener((ChannelFuture off) -> {
            if (!off.isSuccess()) {
                abandon(ch);
                return;
            }
            ingestionLoops.next().register(ch).addListener((ChannelFuture on) -> {
                if (!on.isSuccess()) {
                    abandon(ch);
                } else if (ch.eventLoop().inEventLoop()) {
                    arrived(ctx);
                } else {
                    ch.eventLoop().execute(() -> arrived(ctx));
                }
            });
        });
    }

    /** On the ingestion loop: the connection's handlers again, then what was held back, in order. */
    private void arrived(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!ch.isOpen()) {
            abandon(ch);
            return;
        }
        tail.accept(ctx.pipeline());
        ArrayDeque<Object> pending = held;
        held = null;
        ch.config().setAutoRead(true);
        for (Object msg; (msg = pending.pollFirst()) != null; ) {
            ctx.fireChannelRead(msg);
        }
        ctx.fireChannelReadComplete();
        ctx.pipeline().remove(this);
    }

    /** Closed during the move: whatever was held back is freed. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    /** The move failed (the peer went away during it, as a rule): the connection ends and what was held is freed. */
    private void abandon(Channel ch) {
        release();
        ch.close();
    }

    private void release() {
        ArrayDeque<Object> pending = held;
        held = null;
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
        }
    }
}
