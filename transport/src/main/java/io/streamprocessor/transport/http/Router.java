package io.streamprocessor.transport.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Gives each {@link Exchange} its {@link Exchange.Route} from the request's path and method and
 * sends it on to the handler of that route; answers what has none: 404 for an unknown path, 405
 * with {@code Allow} for a known path asked with another method. {@code HEAD} is answered wherever
 * {@code GET} is (the HTTP codec leaves out the body and keeps its length). The query string is
 * ignored.
 *
 * <p>Stateless, shared by every connection; runs on each connection's event loop.
 */
@ChannelHandler.Sharable
final class Router extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Exchange ex)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String uri = ex.request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Exchange.Route route = switch (path) {
            case "/events" -> Exchange.Route.EVENTS;
            case "/events/batch" -> Exchange.Route.BATCH;
            case "/aggregations" -> Exchange.Route.AGGREGATIONS;
            case "/stats" -> Exchange.Route.STATS;
            case "/health" -> Exchange.Route.HEALTH;
            case "/metrics" -> Exchange.Route.METRICS;
            case "/" -> Exchange.Route.DASHBOARD;
            default -> path.startsWith(Dashboard.ASSETS) ? Exchange.Route.ASSET : null;
        };
        HttpMethod method = ex.request.method();
        ex.route = route; // so that /metrics counts a 405 under its route
        if (route == null) {
            ex.respond(Responses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not found: " + path));
        } else if (!method.equals(route.method) && !(route.method.equals(HttpMethod.GET) && method.equals(HttpMethod.HEAD))) {
            ex.respond(Responses.methodNotAllowed(ctx.alloc(), method.name(), path,
                route.method.equals(HttpMethod.GET) ? "GET, HEAD" : route.method.name()));
        } else {
            ctx.fireChannelRead(ex);
        }
    }
}
