package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.streamprocessor.transport.Json.longAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /} and its assets over plain HTTP: what a browser gets, and how it may cache it. */
class DashboardHttpTest {
    private static final Pattern ASSET_LINK = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");
    private static final long MAX_TOTAL_BYTES = 200 * 1024;

    private static HttpResponse<byte[]> send(TestServer s, String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.base.resolve(URI.create(path)))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            return TestServer.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void pageAndEveryAssetItLinksAreServedWithTheirTypesAndUnder200KiB() {
        try (TestServer s = TestServer.start()) {
            HttpResponse<byte[]> page = send(s, "GET", "/", Map.of());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", header(page, "content-type"));
            assertEquals("no-cache", header(page, "cache-control"), "the page is revalidated on every load");
            assertNotNull(header(page, "etag"));
            assertTrue(header(page, "content-security-policy").contains("script-src 'self'"), "no foreign scripts");
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertTrue(html.contains("<title>stream-processor</title>"), html);

            List<String> links = new ArrayList<>();
            Matcher m = ASSET_LINK.matcher(html);
            while (m.find()) {
                links.add(m.group(1));
            }
            assertEquals(5, links.size(), "uPlot's script, stylesheet and licence, and the dashboard's own two: " + links);
            long total = page.body().length;
            for (String link : links) {
                assertTrue(link.matches("/assets/[\\w.]+\\?v=[0-9a-f]+-[0-9a-f]+"), "each link carries its content's version: " + link);
                HttpResponse<byte[]> a = send(s, "GET", link, Map.of());
                assertEquals(200, a.statusCode(), link);
                String type = link.contains(".js?") ? "text/javascript; charset=utf-8"
                    : link.contains(".css?") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
                assertEquals(type, header(a, "content-type"), link);
                assertEquals("public, max-age=31536000, immutable", header(a, "cache-control"), link);
                assertEquals("nosniff", header(a, "x-content-type-options"), link);
                assertEquals(String.valueOf(a.body().length), header(a, "content-length"), link);
                total += a.body().length;
            }
            assertTrue(total < MAX_TOTAL_BYTES, "page and assets take " + total + " bytes");
            String uplot = new String(send(s, "GET", "/assets/uplot.min.js", Map.of()).body(), StandardCharsets.UTF_8);
            assertTrue(uplot.contains("uPlot"), "uPlot's script, from its webjar");
            String licence = new String(send(s, "GET", "/assets/uplot.LICENSE.txt", Map.of()).body(), StandardCharsets.UTF_8);
            assertTrue(licence.contains("MIT") || licence.contains("Permission is hereby granted"), licence);
        }
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() {
        try (TestServer s = TestServer.start()) {
            HttpResponse<byte[]> get = send(s, "GET", "/", Map.of());
            HttpResponse<byte[]> head = send(s, "HEAD", "/", Map.of());
            assertEquals(200, head.statusCode());
            assertEquals(0, head.body().length);
            assertEquals(String.valueOf(get.body().length), header(head, "content-length"));
            assertEquals(header(get, "etag"), header(head, "etag"));
            HttpResponse<byte[]> asset = send(s, "HEAD", "/assets/uplot.min.css", Map.of());
            assertEquals(200, asset.statusCode());
            assertEquals("text/css; charset=utf-8", header(asset, "content-type"));
        }
    }

    @Test
    void aCachedCopyIsConfirmedWith304() {
        try (TestServer s = TestServer.start()) {
            String etag = header(send(s, "GET", "/", Map.of()), "etag");
            HttpResponse<byte[]> again = send(s, "GET", "/", Map.of("If-None-Match", etag));
            assertEquals(304, again.statusCode());
            assertEquals(0, again.body().length);
            assertEquals(etag, header(again, "etag"));
            HttpResponse<byte[]> other = send(s, "GET", "/", Map.of("If-None-Match", "\"something-else\""));
            assertEquals(200, other.statusCode(), "another version is sent in full");
        }
    }

    @Test
    void unknownAssetIs404JsonAndPostToThePageIs405() {
        try (TestServer s = TestServer.start()) {
            TestServer.Reply missing = s.get("/assets/nothing-here.js");
            assertEquals("not found: /assets/nothing-here.js", missing.assertError(404));
            assertEquals("not found: /assets/", s.get("/assets/").assertError(404));
            TestServer.Reply post = s.post("/", "{}");
            post.assertError(405);
            assertEquals("GET, HEAD", post.header("allow"));
            s.get("/dashboard").assertError(404);
            for (String outside : new String[] {"/assets/../stats", "/assets/%2e%2e/stats", "/assets/dashboard.js/",
                "/assets/../../etc/passwd", "/assets/Dashboard.js"}) {
                s.get(outside).assertError(404);
            }
        }
    }

    @Test
    void statsCarryTheRingTheDashboardDraws() {
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(32768), ServerSettings.builder())) {
            Map<String, Object> stats = s.stats();
            assertEquals(32768L, longAt(stats, "stats.ringCapacity"));
            assertEquals(0L, longAt(stats, "stats.ringUsed"), "nothing in flight once the query has caught up");
        }
    }
}
