package io.streamprocessor.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between the HTTP decoder and the aggregator and keeps each request's body within the
 * server-wide {@link BodyBudget}: a request announced too large for the budget is skipped and
 * stands in as a {@link RejectedRequest} (503) once its body has passed; one that grows past it
 * mid-way (a chunked body) is refused at once with a 503 that ends the connection, and nothing
 * of the connection is passed on after it. Its accounting is exact because everything
 * downstream consumes a request synchronously.
 *
 * <p>One per connection; runs on the connection's event loop.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final String BUSY = "server busy: too many request bytes in flight, retry later";
    private final BodyBudget budget;
    private final int maxBodyBytes;
    /** Dropping the rest of a refused request's body. */
    private boolean skipping;
    private boolean skippedKeepAlive;
    /** A body outgrew the budget: the connection ends with the 503 already sent down. */
    private boolean refusedForGood;
    private long reserved;
    private long received;

    RequestGuard(BodyBudget budget, int maxBodyBytes) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusedForGood && msg instanceof HttpObject) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && !req.decoderResult().isSuccess()) {
            // A request the decoder refused (its headers may hold anything, a Content-Length of "abc" say)
            // goes straight on to be answered 400; the decoder drops whatever follows it.
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
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
                    ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, BUSY, skippedKeepAlive));
                }
                return;
            }
            received += content.content().readableBytes();
            if (received > reserved && received <= maxBodyBytes) {
                if (!budget.tryReserve(received - reserved)) {
                    // The body may go on for long: answer now, in turn, and end the connection after the answer.
                    // What the aggregator gathered of it stays reserved until the connection closes.
                    content.release();
                    refusedForGood = true;
                    ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, BUSY, false));
                    return;
                }
                reserved = received;
            }
            ctx.fireChannelRead(msg);
            if (last) {
                budget.release(reserved);
                reserved = 0;
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        budget.release(reserved);
        reserved = 0;
        ctx.fireChannelInactive();
    }
}
