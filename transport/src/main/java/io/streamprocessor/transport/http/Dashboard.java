package io.streamprocessor.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * Serves the dashboard from memory: the page at {@code /} and, under {@value #ASSETS}, its script
 * and stylesheet and uPlot's (from the {@code org.webjars.npm:uplot} jar on the class path), with
 * its licence. The page's links to the assets carry each asset's content hash ({@code ?v=}), so
 * assets are cached for a year and a new server version is still picked up: the page itself is
 * revalidated on every load ({@code ETag}, 304). An unknown asset is a 404 JSON error.
 *
 * <p>Immutable once made, shared by every connection; runs on each connection's event loop.
 */
@ChannelHandler.Sharable
final class Dashboard extends ChannelInboundHandlerAdapter {
    /** The path prefix of the assets. */
    static final String ASSETS = "/assets/";
    private static final String OWN = "dashboard/";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/%s/%s";
    private static final AsciiString NOSNIFF = AsciiString.cached("x-content-type-options");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Only this server's own scripts, styles and API: the page runs nothing else. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(byte[] body, String contentType, String etag, String cacheControl) {
    }

    private final File page;
    private final Map<String, File> assets = new LinkedHashMap<>();

    /** @throws IllegalStateException when a file of the dashboard is missing from the class path */
    Dashboard() {
        String uplot = uplotVersion();
        asset("uplot.min.js", "text/javascript; charset=utf-8", read(String.format(UPLOT_DIST, uplot, "dist/uPlot.iife.min.js")));
        asset("uplot.min.css", "text/css; charset=utf-8", read(String.format(UPLOT_DIST, uplot, "dist/uPlot.min.css")));
        asset("uplot.LICENSE.txt", "text/plain; charset=utf-8", read(String.format(UPLOT_DIST, uplot, "LICENSE")));
        asset("dashboard.js", "text/javascript; charset=utf-8", read(OWN + "dashboard.js"));
        asset("dashboard.css", "text/css; charset=utf-8", read(OWN + "dashboard.css"));
        String html = new String(read(OWN + "index.html"), StandardCharsets.UTF_8);
        for (Map.Entry<String, File> a : assets.entrySet()) {
            String link = '"' + ASSETS + a.getKey() + '"';
            html = html.replace(link, '"' + ASSETS + a.getKey() + "?v=" + a.getValue().etag().replace("\"", "") + '"');
        }
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        page = new File(body, "text/html; charset=utf-8", etag(body), "no-cache");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Exchange ex) || (ex.route != Exchange.Route.DASHBOARD && ex.route != Exchange.Route.ASSET)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String uri = ex.request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        File f = ex.route == Exchange.Route.DASHBOARD ? page : assets.get(path.substring(ASSETS.length()));
        if (f == null) {
            ex.respond(Responses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not found: " + path));
            return;
        }
        String ifNoneMatch = ex.request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean unchanged = ifNoneMatch != null && (ifNoneMatch.contains(f.etag()) || ifNoneMatch.trim().equals("*"));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
            unchanged ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.body()), false);
        r.headers()
            .set(HttpHeaderNames.ETAG, f.etag())
            .set(HttpHeaderNames.CACHE_CONTROL, f.cacheControl())
            .set(NOSNIFF, "nosniff");
        if (!unchanged) {
            r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, f.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, f.body().length);
        }
        if (f == page) {
            r.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP);
        }
        ex.respond(r);
    }

    private void asset(String name, String contentType, byte[] body) {
        assets.put(name, new File(body, contentType, etag(body), IMMUTABLE));
    }

    private static String etag(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = stream(UPLOT_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = stream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    private static InputStream stream(String resource) {
        String absolute = resource.startsWith("META-INF/") ? resource : "io/streamprocessor/transport/http/" + resource;
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(absolute);
        if (in == null) {
            throw new IllegalStateException("the dashboard's " + absolute + " is not on the class path; rebuild the server");
        }
        return in;
    }
}
