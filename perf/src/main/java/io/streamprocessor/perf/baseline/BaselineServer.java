package io.streamprocessor.perf.baseline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.transport.http.NettyServer;
import io.streamprocessor.transport.http.ServerSettings;
import io.streamprocessor.transport.json.BodyBytes;
import io.streamprocessor.transport.json.EventDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The ceilings every HTTP scenario is measured against, on the same {@link NettyServer} (same
 * Netty, transport, codec limits and aggregator) as the real server:
 * <ul>
 *   <li>{@code noop}: reads and discards the body, answers a fixed JSON body — the HTTP ceiling;</li>
 *   <li>{@code parse}: also decodes every event of the body with the server's {@link EventDecoder}
 *       into a scratch slot — the parse ceiling.</li>
 * </ul>
 * Run: {@code java -cp perf/target/benchmarks.jar io.streamprocessor.perf.baseline.BaselineServer noop|parse [port] [eventLoops]}.
 */
public final class BaselineServer {
    private static final byte[] BODY = "{\"success\":true,\"message\":\"Event processed\"}".getBytes(StandardCharsets.UTF_8);

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("noop") || args[0].equals("parse"))) {
            System.err.println("usage: BaselineServer noop|parse [port] [eventLoops]");
            System.exit(2);
        }
        boolean parse = args[0].equals("parse");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8001;
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ServerSettings settings = ServerSettings.builder().host("127.0.0.1").port(port).eventLoops(loops).build();
        NettyServer server = NettyServer.bind(settings, "baseline-io", p -> {
            p.addLast(new HttpObjectAggregator(settings.maxBodyBytes()));
            p.addLast(new Handler(parse));
        });
        // on stderr, like the launcher's: stdout is for data
        System.err.println("baseline " + args[0] + " listening on http://127.0.0.1:" + server.address().getPort()
            + " (" + server.transport() + ", " + settings.effectiveEventLoops() + " I/O threads)");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
        server.close();
    }

    /** Answers every request with a fixed body; in parse mode, decodes the events first. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final boolean parse;
        private final EventDecoder decoder = new EventDecoder(16, 256);
        private final EventRecord scratch = new EventRecord(FieldPath.of("value"), 65_536, 1 << 20);
        private final BodyBytes bytes = new BodyBytes();
        private long events;

        Handler(boolean parse) {
            this.parse = parse;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (parse) {
                parseAll(req.content());
            }
            ByteBuf body = ctx.alloc().buffer(BODY.length).writeBytes(BODY);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body, false);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            if (HttpUtil.isKeepAlive(req)) {
                ctx.writeAndFlush(r, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void parseAll(ByteBuf content) {
            // As the server reads bodies: one copy into an array, parsed in place.
            try (JsonParser p = decoder.parser(bytes.of(content))) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        decodeOne(p);
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    decodeOne(p);
                }
            } catch (IOException e) {
                // a baseline answers malformed input the same way; the load generator never sends any
            }
        }

        private void decodeOne(JsonParser p) throws IOException {
            decoder.decodeObject(p, scratch.begin(0L));
            events++;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
