package io.streamprocessor.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * The request timeout: a request whose head has been read but whose body then makes no progress
 * for the timeout is answered 408, and the connection closes after the answer. It sits right
 * after the HTTP codec, so progress means request bytes decoded. The 408 goes down the pipeline
 * as a {@link RejectedRequest}, so it takes its turn behind the answers already owed on the
 * connection, and nothing read after it is passed on.
 *
 * <p>Its reader-idle timer keeps running between requests, where it means nothing (the idle
 * timeout governs there); its events never leave this handler. A stall while the server itself
 * stopped reading the connection (too many answers outstanding) is not the client's and is not
 * timed out.
 *
 * <p>One per connection; runs on the connection's event loop.
 */
final class RequestTimeout extends IdleStateHandler {
    private boolean receiving;
    private boolean timedOut;

    RequestTimeout(long timeoutMillis) {
        super(timeoutMillis, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (timedOut && msg instanceof HttpObject) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            receiving = true;
        }
        if (msg instanceof LastHttpContent) {
            receiving = false;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (receiving && !timedOut && ctx.channel().config().isAutoRead()) {
            timedOut = true;
            receiving = false;
            ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.REQUEST_TIMEOUT, "request not received in time", false));
        }
    }
}
