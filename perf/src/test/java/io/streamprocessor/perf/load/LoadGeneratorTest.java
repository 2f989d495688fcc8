package io.streamprocessor.perf.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamprocessor.transport.http.NettyServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator against small servers whose behaviour is known: the numbers it reports must match it. */
class LoadGeneratorTest {
    private NettyServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server that answers each request with the status the policy picks, after the delay it picks (ms). */
    private int serve(Function<Long, int[]> policy) throws InterruptedException {
        AtomicLong requests = new AtomicLong();
        ServerSettings settings = ServerSettings.builder().host("127.0.0.1").port(0).eventLoops(1).build();
        server = NettyServer.bind(settings, "test-server", p -> {
            p.addLast(new HttpObjectAggregator(1 << 20));
            p.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    int[] decision = policy.apply(requests.incrementAndGet());
                    ByteBuf body = ctx.alloc().buffer().writeBytes("{}".getBytes(StandardCharsets.UTF_8));
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(decision[0]), body);
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                    if (decision[1] == 0) {
                        ctx.writeAndFlush(r);
                    } else {
                        ctx.executor().schedule(() -> ctx.writeAndFlush(r), decision[1], TimeUnit.MILLISECONDS);
                    }
                }
            });
        });
        return server.address().getPort();
    }

    private static LoadOptions options(int port, int connections, double rate, double seconds) {
        return new LoadOptions("127.0.0.1", port, "/events", "POST", connections, 1, rate, 1, seconds, 0.5, 1,
            null, "test", 7);
    }

    @Test
    void openLoopHoldsTheRequestedRate() throws Exception {
        int port = serve(n -> new int[] {200, 0});
        LoadReport r = LoadGenerator.run(options(port, 4, 2_000, 2));
        assertEquals(2_000, r.requestsPerSecond(), 100, "within 5% of the target rate");
        assertEquals(r.requestsPerSecond() * 2, r.statuses().get(200), 2);
        assertTrue(!r.missedTarget());
    }

    @Test
    void correctedLatencyCountsTheRequestsAServerStallHeldBack() throws Exception {
        // One request in the measured window is held for 400 ms; with one connection and no
        // pipelining, the ~400 requests meant to go out meanwhile wait behind it.
        int port = serve(n -> new int[] {200, n == 1_500 ? 400 : 0});
        LoadReport r = LoadGenerator.run(options(port, 1, 1_000, 2.5));
        assertTrue(r.max() >= 400, "the stall itself: " + r.max());
        assertTrue(r.p90() >= 30, "corrected p90 sees the queue behind the stall: " + r.p90());
        assertTrue(r.uncorrectedP99() < 50, "uncorrected p99 hides it: " + r.uncorrectedP99());
        assertEquals(2_500, r.statuses().get(200), 10, "the generator caught up on every intended request");
    }

    @Test
    void requestsThatNeverLeftAreReportedAsLateNotForgotten() throws Exception {
        // Each answer takes 50 ms and there is one connection: it can send 20 of the 1,000 a second asked for.
        int port = serve(n -> new int[] {200, 50});
        LoadReport r = LoadGenerator.run(options(port, 1, 1_000, 2));
        assertTrue(r.missedTarget());
        assertTrue(r.requestsPerSecond() < 30, "the server's real pace: " + r.requestsPerSecond());
        assertTrue(r.neverSent() > 1_500, "never sent: " + r.neverSent());
        assertTrue(r.p50() > 500, "their latency counts from when they were meant to leave: " + r.p50());
        assertTrue(r.row().contains("never-sent="));
    }

    @Test
    void errorStatusesAreCountedNotHidden() throws Exception {
        int port = serve(n -> new int[] {n % 2 == 0 ? 503 : 200, 0});
        LoadReport r = LoadGenerator.run(options(port, 2, 1_000, 2));
        long ok = r.statuses().get(200);
        long busy = r.statuses().get(503);
        assertEquals(ok, busy, 3, "every other response is a 503");
        assertEquals(busy, r.non2xx());
        assertTrue(r.row().contains("503="));
        assertTrue(r.toJson().contains("\"503\":"));
    }

    @Test
    void closedLoopWithPipeliningKeepsEveryConnectionBusy() throws Exception {
        int port = serve(n -> new int[] {200, 0});
        LoadOptions o = new LoadOptions("127.0.0.1", port, "/events", "POST", 2, 8, 0, 10, 1, 0.3, 1, null, "closed", 7);
        LoadReport r = LoadGenerator.run(o);
        assertTrue(r.requestsPerSecond() > 1_000, "closed loop runs flat out: " + r.requestsPerSecond());
        assertEquals(r.requestsPerSecond() * 10, r.eventsPerSecond(), 1e-6, "events = requests x batch");
        assertEquals(0, r.connectionErrors());
        assertEquals(0, r.unanswered());
    }
}
