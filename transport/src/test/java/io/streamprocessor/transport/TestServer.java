package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helper: a processor and its HTTP server on an ephemeral port of 127.0.0.1, with a JDK
 * HTTP/1.1 client. Every response that passes through it is checked for what the API promises of
 * every response: {@code Content-Type: application/json}, a JSON object body, never a 500, never
 * a stack trace. Public for the tests of sinks in their own package.
 */
public final class TestServer implements AutoCloseable {
    static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\([\\w$.]*(:\\d+)?\\)");

    final StreamProcessor processor;
    final HttpServer server;
    final URI base;

    private TestServer(StreamProcessor processor, HttpServer server) {
        this.processor = processor;
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /** A processor with every default of the API, served with the default limits. */
    static TestServer start() {
        return start(StreamProcessor.builder(), ServerSettings.builder());
    }

    public static TestServer start(ProcessorSettings.Builder builder, ServerSettings.Builder settings) {
        StreamProcessor p = builder.build().start();
        try {
            return new TestServer(p, HttpServer.start(p, settings.host("127.0.0.1").port(0).build()));
        } catch (InterruptedException e) {
            p.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    /** POST with {@code Content-Type: application/json}. */
    public Reply post(String path, String body) {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Reply get(String path) {
        return send("GET", path, null, null);
    }

    /** Any request; a null body sends none, a null content type sends no {@code Content-Type}. */
    Reply send(String method, String path, byte[] body, String contentType) {
        try {
            return checked(CLIENT.send(request(method, path, body, contentType), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<Reply> sendAsync(String method, String path, String body) {
        return CLIENT.sendAsync(request(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
            "application/json"), HttpResponse.BodyHandlers.ofString()).thenApply(TestServer::checked);
    }

    private HttpRequest request(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    private static Reply checked(HttpResponse<String> r) {
        Reply reply = new Reply(r.statusCode(), r.headers(), r.body());
        assertEveryResponseRule(reply.status, reply.headers.firstValue("content-type").orElse(null), reply.body,
            r.request().method() + " " + r.request().uri().getPath());
        return reply;
    }

    /** What the API promises of every response, errors included. */
    static void assertEveryResponseRule(int status, String contentType, String body, String what) {
        assertNotEquals(500, status, what + " answered 500: " + body);
        assertEquals("application/json", contentType, what + ": Content-Type");
        assertFalse(STACK_FRAME.matcher(body).find() || body.contains("Exception"), what + ": stack trace in body: " + body);
        Json.object(body);
    }

    /** Words that would mean a library's internals reached the client instead of words about the request. */
    private static final List<String> LIBRARY_TEXT = List.of("jackson", "netty", "feature", "jsontoken", "allow_", "exception",
        "com.", "java.", "start_object", "end_object", "start_array", "value_", "field_name", "[source", "redacted",
        "streamreadconstraints", "http/0.9");

    /** An error message speaks of the request: no library, class, parser feature or token names. */
    static void assertSpeaksOfTheRequest(String what, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String word : LIBRARY_TEXT) {
            assertFalse(lower.contains(word), what + ": library text '" + word + "' in the message: " + message);
        }
    }

    /** The body of a 200 GET /stats. */
    public Map<String, Object> stats() {
        Reply r = get("/stats");
        assertEquals(200, r.status, r.body);
        return r.json();
    }

    /** The body of a 200 GET /aggregations. */
    Map<String, Object> aggregations() {
        Reply r = get("/aggregations");
        assertEquals(200, r.status, r.body);
        return r.json();
    }

    /** Polls until the condition holds, failing after the deadline. */
    public static void awaitTrue(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting for: " + what);
            }
            LockSupport.parkNanos(1_000_000); // a pause between polls, not a guess at how long it takes
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** A response as the client saw it. */
    public record Reply(int status, HttpHeaders headers, String body) {
        public Map<String, Object> json() {
            return Json.object(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public void assertStatus(int expected) {
            assertEquals(expected, status, body);
        }

        /** Asserts a 4xx/5xx error body {@code {"success":false,"error":"..."}} with the given status. */
        public String assertError(int expected) {
            assertStatus(expected);
            Map<String, Object> m = json();
            assertEquals(Boolean.FALSE, m.get("success"), body);
            assertTrue(m.get("error") instanceof String s && !s.isBlank(), body);
            assertEquals(2, m.size(), "error body has exactly success and error: " + body);
            return (String) m.get("error");
        }
    }
}
