package io.streamprocessor.transport.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.event.Rejection;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.transport.json.BatchScanner;
import io.streamprocessor.transport.json.BodyBytes;
import io.streamprocessor.transport.json.EventDecoder;
import io.streamprocessor.transport.json.JsonBodies;
import io.streamprocessor.transport.json.Utf8Validator;

import java.io.IOException;

/**
 * Takes events in: {@code POST /events} and {@code POST /events/batch}. Checks the content type,
 * sheds the request unparsed (503) when its I/O thread is behind (see {@link Admission}), checks
 * the UTF-8, counts a batch's elements, claims that many ring slots at once through the I/O
 * thread's {@link Ingestor} (503 when they are not free), decodes the body straight into them and
 * publishes them (void when the body turns out malformed, so no stage counts them), and once the
 * pipeline is through answers from the tallies the completion stage left in the {@link Exchange}.
 * The only code of the server that touches ring slots.
 *
 * <p>Stateless, shared by every connection (the per-I/O-thread ingestor and decoder live in
 * {@link ServerContext}). {@link #channelRead} runs on a connection's event loop, and so does
 * {@link #finish}, handed there by {@link Exchange#onComplete()}.
 */
@ChannelHandler.Sharable
final class Ingestion extends ChannelInboundHandlerAdapter implements Exchange.Finisher {
    private final ServerContext server;

    Ingestion(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Exchange ex && ex.route == Exchange.Route.EVENTS) {
            single(ex, System.nanoTime());
        } else if (msg instanceof Exchange ex && ex.route == Exchange.Route.BATCH) {
            batch(ex, System.nanoTime());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void single(Exchange ex, long arrivalNanos) {
        FullHttpRequest req = ex.request;
        if (!isJson(req)) {
            ex.respond(unsupportedMediaType(ex, req));
            return;
        }
        ServerContext.IoState io = server.io();
        String shed = io.admission().shedBeforeParsing();
        if (shed != null) {
            ex.shed(shed);
            return;
        }
        ByteBuf body = req.content();
        BodyBytes bytes = io.body().of(body);
        String unreadable = unreadable(body, bytes, io.decoder());
        if (unreadable != null) {
            ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, unreadable));
            return;
        }
        Ingestor in = io.ingestor();
        ex.finisher = this;
        if (!in.claim(1, ex, arrivalNanos)) {
            ex.respond(Responses.busy(ex.alloc(), in.refusal()));
            return;
        }
        decodeAndPublish(ex, in, io.decoder(), body, bytes, 0);
    }

    private void batch(Exchange ex, long arrivalNanos) {
        FullHttpRequest req = ex.request;
        if (!isJson(req)) {
            ex.respond(unsupportedMediaType(ex, req));
            return;
        }
        String shed = server.io().admission().shedBeforeParsing();
        if (shed != null) {
            ex.shed(shed);
            return;
        }
        ByteBuf body = req.content();
        ServerContext.IoState io = server.io();
        BodyBytes bytes = io.body().of(body);
        int limit = server.settings().maxBatchEvents();
        int n = BatchScanner.count(bytes.array(), bytes.offset(), bytes.end(), limit);
        if (n > limit) {
            ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "batch: more than " + limit + " events"));
            return;
        }
        EventDecoder decoder = io.decoder();
        String unreadable = unreadable(body, bytes, decoder);
        if (unreadable != null) {
            ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, unreadable));
            return;
        }
        if (n <= 0) {
            String error = checkEmptyBatch(decoder, body, n);
            ex.respond(error != null
                ? Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, error)
                : Responses.json(HttpResponseStatus.OK, batchCounts(ex, 0, 0, 0)));
            return;
        }
        Ingestor in = io.ingestor();
        ex.finisher = this;
        if (!in.claim(n, ex, arrivalNanos)) {
            ex.respond(Responses.busy(ex.alloc(), in.refusal()));
            return;
        }
        decodeAndPublish(ex, in, decoder, body, bytes, n);
    }

    /**
     * Decodes the body into the slots just claimed and publishes them; if the body turns out
     * malformed, publishes them void (no stage counts them) and answers 400 saying what is wrong.
     * The slots hold back every stage until published, so describing the error, which re-reads
     * the body, and reporting a failure wait until after.
     *
     * @param batch the number of claimed slots for a batch, 0 for a single event
     */
    private void decodeAndPublish(Exchange ex, Ingestor in, EventDecoder decoder, ByteBuf body, BodyBytes bytes, int batch) {
        int from = body.readerIndex();
        int to = body.writerIndex();
        String error = null;
        boolean decoded = false;
        boolean malformed = false;
        RuntimeException failure = null;
        try (JsonParser p = decoder.parser(bytes)) {
            if (batch == 0) {
                error = decodeSingle(p, decoder, in.slot(0));
            } else {
                decodeBatch(p, decoder, in, batch);
            }
            decoded = error == null;
        } catch (IOException e) {
            malformed = true;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (decoded) {
                in.publish(); // in the inline topology this may already answer the exchange
            } else {
                in.publishVoid();
            }
        }
        if (decoded) {
            return;
        }
        if (malformed) {
            error = decoder.malformed(body, from, to);
        } else if (failure != null) {
            error = "invalid request body";
            server.errors().onError(batch == 0 ? "decode /events" : "decode /events/batch", failure);
        }
        ex.respond(Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, error));
    }

    /**
     * One event object and nothing after it; returns null when decoded, or the 400 message of a
     * well-formed value that is not an object.
     *
     * @throws IOException when the body is not one JSON value
     */
    private static String decodeSingle(JsonParser p, EventDecoder decoder, EventWriter slot) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            decoder.decodeObject(p, slot);
            expectEnd(p);
            return null;
        }
        if (t == null) {
            throw new IOException("empty body");
        }
        p.skipChildren();
        expectEnd(p);
        return Rejection.NOT_AN_OBJECT.message();
    }

    /**
     * An array of exactly {@code n} elements (as the scanner counted); a non-object element is
     * rejected alone.
     *
     * @throws IOException when the body is not one JSON array
     */
    private static void decodeBatch(JsonParser p, EventDecoder decoder, Ingestor in, int n) throws IOException {
        p.nextToken(); // '[' as the scanner found
        for (int i = 0; i < n; i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                decoder.decodeObject(p, in.slot(i));
            } else if (t == null || t == JsonToken.END_ARRAY) {
                throw new IOException("fewer elements than counted");
            } else {
                in.slot(i).reject(Rejection.NOT_AN_OBJECT);
                p.skipChildren();
            }
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw new IOException("more elements than counted");
        }
        expectEnd(p);
    }

    private static void expectEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new IOException("content after the value");
        }
    }

    /** For a body the scanner found empty or not an array: null when it is an empty array, else the 400 message. */
    private static String checkEmptyBatch(EventDecoder decoder, ByteBuf body, int scanned) {
        String malformed = decoder.syntaxError(body, body.readerIndex(), body.writerIndex());
        if (malformed != null) {
            return malformed;
        }
        return scanned == BatchScanner.NOT_AN_ARRAY ? "batch: body must be a JSON array of events" : null;
    }

    /** Event loop: the pipeline is through with the exchange's events; answer from its tallies. */
    @Override
    public void finish(Exchange ex) {
        FullHttpResponse r;
        if (ex.route == Exchange.Route.EVENTS) {
            if (ex.processed() == 1) {
                r = Responses.processed(ex.alloc());
            } else if (ex.filtered() == 1) {
                r = Responses.filtered(ex.alloc());
            } else {
                r = Responses.error(ex.alloc(), HttpResponseStatus.BAD_REQUEST, ex.errorMessage(0));
            }
        } else if (ex.rejected() == 0) {
            r = Responses.json(HttpResponseStatus.OK, batchCounts(ex, ex.expected(), ex.processed(), ex.filtered()));
        } else {
            r = Responses.json(HttpResponseStatus.OK, JsonBodies.batchResult(ex.alloc().buffer(256), ex));
        }
        ex.respond(r);
    }

    private static ByteBuf batchCounts(Exchange ex, int total, int processed, int filtered) {
        ByteBuf buf = ex.alloc().buffer(64);
        Responses.ascii(buf, "{\"total\":");
        Responses.number(buf, total);
        Responses.ascii(buf, ",\"processed\":");
        Responses.number(buf, processed);
        Responses.ascii(buf, ",\"filtered\":");
        Responses.number(buf, filtered);
        buf.writeByte('}');
        return buf;
    }

    private static boolean isJson(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return true;
        }
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return media.equalsIgnoreCase("application/json")
            || (media.regionMatches(true, 0, "application/", 0, 12) && media.toLowerCase().endsWith("+json"));
    }

    private static FullHttpResponse unsupportedMediaType(Exchange ex, FullHttpRequest req) {
        return Responses.error(ex.alloc(), HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported Content-Type '" + req.headers().get(HttpHeaderNames.CONTENT_TYPE) + "': send application/json");
    }

    /**
     * Null when the body can be handed to the parser, else the 400 message: it must be well-formed
     * UTF-8, and must not start with a NUL byte, which the parser would take for the mark of UTF-16
     * or UTF-32 (a raw NUL is malformed JSON anywhere).
     */
    private static String unreadable(ByteBuf body, BodyBytes bytes, EventDecoder decoder) {
        int at = Utf8Validator.firstInvalid(bytes.array(), bytes.offset(), bytes.end());
        if (at >= 0) {
            return "malformed JSON: invalid UTF-8 at byte " + (at - bytes.offset());
        }
        for (int i = bytes.offset(); i < Math.min(bytes.end(), bytes.offset() + 4); i++) {
            if (bytes.array()[i] == 0) {
                return decoder.malformed(body, body.readerIndex(), body.writerIndex());
            }
        }
        return null;
    }
}
