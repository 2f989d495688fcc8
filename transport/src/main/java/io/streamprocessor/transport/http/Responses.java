package io.streamprocessor.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * Builds the JSON responses of the API into pooled buffers. The frequent ones (an event
 * processed or filtered, a batch's counts) are written from constant bytes and digits without
 * allocating anything but the buffer; error messages are JSON-escaped.
 */
final class Responses {
    static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    /** Headers the server writes itself, so they are not validated again. */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final byte[] PROCESSED = bytes("{\"success\":true,\"message\":\"Event processed\"}");
    private static final byte[] FILTERED = bytes("{\"success\":true,\"message\":\"Event filtered\",\"filtered\":true}");

    private Responses() {
    }

    static FullHttpResponse processed(ByteBufAllocator alloc) {
        return json(HttpResponseStatus.OK, alloc.buffer(PROCESSED.length).writeBytes(PROCESSED));
    }

    static FullHttpResponse filtered(ByteBufAllocator alloc) {
        return json(HttpResponseStatus.OK, alloc.buffer(FILTERED.length).writeBytes(FILTERED));
    }

    /** {@code {"success":false,"error":"..."}} with the given status. */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String message) {
        ByteBuf buf = alloc.buffer(32 + message.length());
        ascii(buf, "{\"success\":false,\"error\":");
        quoted(buf, message);
        buf.writeByte('}');
        return json(status, buf);
    }

    /** Seconds a client is asked to wait after a 503. */
    static final int RETRY_AFTER_SECONDS = 1;
    private static final String RETRY_AFTER = String.valueOf(RETRY_AFTER_SECONDS);

    /** 503 with {@code Retry-After}: nothing of the request was taken. */
    static FullHttpResponse busy(ByteBufAllocator alloc, String message) {
        FullHttpResponse r = error(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE, message);
        r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER);
        return r;
    }

    static FullHttpResponse methodNotAllowed(ByteBufAllocator alloc, String method, String path, String allow) {
        FullHttpResponse r = error(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED,
            "method " + method + " not allowed on " + path + "; allowed: " + allow);
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }

    static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        // No trailers: an answer with a Content-Length never has any, so the empty, shared set saves a
        // header map per answer (a quarter of the header maps a single event's request and answer made).
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, HEADERS.newHeaders(),
            EmptyHttpHeaders.INSTANCE);
        r.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    /** Marks the response for the connection's fate: {@code Connection: close}, or keep-alive for HTTP/1.0. */
    static void connection(FullHttpResponse r, boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    static void ascii(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    static void number(ByteBuf buf, long v) {
        if (v < 0) {
            buf.writeByte('-');
            v = -v;
        }
        if (v >= 10) {
            number(buf, v / 10);
        }
        buf.writeByte('0' + (int) (v % 10));
    }

    static void quoted(ByteBuf buf, String s) {
        buf.writeByte('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                buf.writeByte('\\').writeByte(c);
            } else if (c < 0x20) {
                buf.writeByte('\\').writeByte('u').writeByte('0').writeByte('0')
                    .writeByte(Character.forDigit(c >> 4, 16)).writeByte(Character.forDigit(c & 0xF, 16));
            } else if (c < 0x80) {
                buf.writeByte(c);
            } else {
                int j = i;
                while (j < s.length() && s.charAt(j) >= 0x80) {
                    j++;
                }
                buf.writeCharSequence(s.substring(i, j), StandardCharsets.UTF_8);
                i = j - 1;
            }
        }
        buf.writeByte('"');
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
