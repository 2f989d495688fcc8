package io.streamprocessor.transport.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Sits between the HTTP decoder and the aggregator and keeps each request's body within the
 * server-wide {@link BodyBudget}: a request announced too large for the budget is skipped and
 * stands in as a {@link RejectedRequest} (503); one that grows past it mid-way closes the
 * connection. It also turns a read timeout in the middle of a request into 408. Its accounting
 * is exact because everything downstream consumes a request synchronously.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private final BodyBudget budget;
    private final int maxBodyBytes;
    private boolean receiving;
    private boolean skipping;
    private boolean skippedKeepAlive;
    private long reserved;
    private long received;

    RequestGuard(BodyBudget budget, int maxBodyBytes) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && !req.decoderResult().isSuccess()) {
            // A request the decoder refused (its headers may hold anything, a Content-Length of "abc" say)
            // goes straight on to be answered 400; the decoder drops whatever follows it.
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            receiving = true;
            received = 0;
            long length = HttpUtil.getContentLength(req, -1L);
            if (length > 0 && length <= maxBodyBytes) {
                if (!budget.tryReserve(length)) {
                    skipping = true;
                    skippedKeepAlive = HttpUtil.isKeepAlive(req);
                    if (!(msg instanceof HttpContent)) {
                        return; // the head carries nothing to release; its content follows
                    }
                } else {
                    reserved = length;
                }
            }
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (skipping) {
                content.release();
                if (last) {
                    skipping = false;
                    receiving = false;
                    ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "server busy: too many request bytes in flight, retry later", skippedKeepAlive));
                }
                return;
            }
            received += content.content().readableBytes();
            if (received > reserved && received <= maxBodyBytes) {
                if (!budget.tryReserve(received - reserved)) {
                    content.release();
                    ctx.writeAndFlush(Responses.busy(ctx.alloc(), "server busy: too many request bytes in flight, retry later"))
                        .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                reserved = received;
            }
            ctx.fireChannelRead(msg);
            if (last) {
                budget.release(reserved);
                reserved = 0;
                receiving = false;
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && receiving) {
            ctx.writeAndFlush(Responses.error(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT,
                    "request not received in time"))
                .addListener(ChannelFutureListener.CLOSE);
            receiving = false;
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        budget.release(reserved);
        reserved = 0;
        ctx.fireChannelInactive();
    }
}
