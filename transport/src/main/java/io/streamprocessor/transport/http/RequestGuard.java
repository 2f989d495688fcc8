package io.streamprocessor.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between the HTTP decoder and the aggregator and decides, from each request's head, what
 * of its body is read at all:
 * <ul>
 *   <li>events ({@code POST /events}, {@code POST /events/batch}) that the {@link Admission}
 *       sheds, because the pipeline or this I/O thread is behind, are skipped unparsed;</li>
 *   <li>every body is kept within the server-wide {@link BodyBudget}: a request announced too
 *       large for it is skipped; one that grows past it mid-way (a chunked body) is refused at
 *       once with a 503 that ends the connection, and nothing of the connection is passed on
 *       after it.</li>
 * </ul>
 * A skipped request stands in as a {@link RejectedRequest} (503) once its body has passed, so
 * its answer keeps its turn; a client waiting for {@code 100 Continue} gets it at once instead,
 * and the connection ends after it. The budget's accounting is exact because everything
 * downstream consumes a request synchronously.
 *
 * <p>One per connection; runs on the connection's event loop.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final String BUSY = "server busy: too many request bytes in flight, retry later";
    private final ServerContext server;
    private final BodyBudget budget;
    private final int maxBodyBytes;
    /** Dropping the rest of a refused request's body. */
    private boolean skipping;
    /** A body outgrew the budget: the connection ends with the 503 already sent down. */
    private boolean refusedForGood;
    private long reserved;
    private long received;

    RequestGuard(ServerContext server) {
        this.server = server;
        this.budget = server.budget();
        this.maxBodyBytes = server.settings().maxBodyBytes();
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
            String shed = !carriesEvents(req) ? null
                : server.isControlLoop(ctx.executor()) ? server.shedOnControlLoop() : server.io().admission().shedOnArrival();
            if (shed == null && length > 0 && length <= maxBodyBytes) {
                if (budget.tryReserve(length)) {
                    reserved = length;
                } else {
                    shed = BUSY;
                }
            }
            if (shed != null) {
                // Answered now, in turn, before its body is read: a client told to back off need not wait for
                // the rest of its upload. A client waiting for 100 Continue sends nothing more; the others' bodies
                // are read and dropped, so the connection can go on.
                boolean waitsToSend = HttpUtil.is100ContinueExpected(req);
                ReferenceCountUtil.release(msg);
                ctx.fireChannelRead(new RejectedRequest(HttpResponseStatus.SERVICE_UNAVAILABLE, shed,
                    HttpUtil.isKeepAlive(req) && !waitsToSend, true));
                if (waitsToSend) {
                    refusedForGood = true;
                } else {
                    skipping = !(msg instanceof LastHttpContent);
                }
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (skipping) {
                content.release();
                skipping = !last;
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

    /** A request whose body holds events; refused events cost only the reading of their bytes. */
    static boolean carriesEvents(HttpRequest req) {
        if (!req.method().equals(HttpMethod.POST)) {
            return false;
        }
        String uri = req.uri();
        int end = uri.indexOf('?');
        int length = end < 0 ? uri.length() : end;
        return uri.startsWith("/events") && (length == 7 || (length == 13 && uri.startsWith("/batch", 7)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        budget.release(reserved);
        reserved = 0;
        ctx.fireChannelInactive();
    }
}
