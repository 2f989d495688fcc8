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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator against small servers whose behaviour is known, checked by counts: what the
 * server received on each connection, what it answered, and what the report says. The only
 * times compared are causal (a request cannot leave before it is due, an answer held 400 ms
 * takes at least 400 ms), so a slow, shared machine makes no check fail.
 */
class LoadGeneratorTest {
    private static final long SETUP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private NettyServer server;
    private final Tally tally = new Tally();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What the test server saw, written by its one event loop and read once the run is over. */
    private static final class Tally {
        final AtomicLong requests = new AtomicLong();
        /** Arrival times (System.nanoTime) of the requests of each connection, in order. */
        final List<List<Long>> arrivals = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Long> answered = Collections.synchronizedMap(new TreeMap<>());
        final Set<Integer> eventsPerRequest = Collections.synchronizedSet(new TreeSet<>());
        volatile int maxInFlightOnAConnection;

        /** Requests meant for the measured window that reached the server: per connection, the k-th request is the k-th due. */
        long sentOfWindow(int firstOfWindow, int perConnection) {
            long n = 0;
            synchronized (arrivals) {
                for (List<Long> connection : arrivals) {
                    n += Math.max(0, Math.min(connection.size() - firstOfWindow, perConnection));
                }
            }
            return n;
        }
    }

    /** A server that answers each request with the status the policy picks, after the delay it picks (ms). */
    private int serve(Function<Long, int[]> policy) throws InterruptedException {
        ServerSettings settings = ServerSettings.builder().host("127.0.0.1").port(0).eventLoops(1).build();
        server = NettyServer.bind(settings, "test-server", p -> {
            List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
            tally.arrivals.add(arrivals);
            p.addLast(new HttpObjectAggregator(1 << 20));
            p.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                private int inFlight;

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    arrivals.add(System.nanoTime());
                    inFlight++;
                    tally.maxInFlightOnAConnection = Math.max(tally.maxInFlightOnAConnection, inFlight);
                    tally.eventsPerRequest.add(occurrences(req.content().toString(StandardCharsets.UTF_8), "\"type\":"));
                    int[] decision = policy.apply(tally.requests.incrementAndGet());
                    tally.answered.merge(decision[0], 1L, Long::sum);
                    ByteBuf body = ctx.alloc().buffer().writeBytes("{}".getBytes(StandardCharsets.UTF_8));
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(decision[0]), body);
                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                    if (decision[0] == 503) {
                        r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                    }
                    Runnable answer = () -> {
                        inFlight--;
                        ctx.writeAndFlush(r);
                    };
                    if (decision[1] == 0) {
                        answer.run();
                    } else {
                        ctx.executor().schedule(answer, decision[1], TimeUnit.MILLISECONDS);
                    }
                }
            });
        });
        return server.address().getPort();
    }

    private static int occurrences(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static LoadOptions openLoop(int port, int connections, double rate, double seconds, double warmup) {
        return new LoadOptions("127.0.0.1", port, "/events", "POST", connections, 1, rate, 1, seconds, warmup, 1,
            null, "test", 7, false);
    }

    @Test
    void openLoopSendsNothingBeforeItIsDueAndAccountsForEveryRequestOfTheWindow() throws Exception {
        int port = serve(n -> new int[] {200, 0});
        // 500/s over 2 connections: each connection is due every 4 ms exactly, 250 times in the 1 s window
        long before = System.nanoTime();
        LoadReport r = LoadGenerator.run(openLoop(port, 2, 500, 1, 0));
        long interval = TimeUnit.MILLISECONDS.toNanos(4);
        assertEquals(2, tally.arrivals.size(), "one server connection per generator connection");
        for (List<Long> connection : tally.arrivals) {
            for (int k = 0; k < connection.size(); k++) {
                long earliestDue = before + SETUP_NANOS + k * interval;
                assertTrue(connection.get(k) >= earliestDue, "request " + k + " of a connection arrived "
                    + (earliestDue - connection.get(k)) / 1e6 + " ms before it was due");
            }
        }
        assertEquals(500, tally.sentOfWindow(0, 250) + r.neverSent(),
            "each request due in the window was sent, or reported as never sent");
        assertEquals(0, r.unanswered());
        assertEquals(0, r.connectionErrors());
        assertTrue(Set.of(200).containsAll(r.statuses().keySet()), "the server only answered 200: " + r.statuses());
        assertTrue(r.statuses().getOrDefault(200, 0L) <= tally.requests.get(), "only answers the server gave are counted");
    }

    @Test
    void correctedLatencyCountsTheRequestsAServerStallHeldBack() throws Exception {
        // One connection due every 1 ms; the 1,500th request (due 1.5 s in, inside the 0.5..3 s window)
        // is held 400 ms, and the ~400 requests due meanwhile wait behind it.
        int port = serve(n -> new int[] {200, n == 1_500 ? 400 : 0});
        LoadReport r = LoadGenerator.run(openLoop(port, 1, 1_000, 2.5, 0.5));
        assertEquals(2_500, tally.sentOfWindow(500, 2_500) + r.neverSent(),
            "each request due in the window was sent, or reported as never sent");
        assertEquals(0, r.unanswered());
        assertTrue(r.max() >= 400, "the held request took at least the 400 ms it was held: " + r.max());
        // at least 300 of the 2,500 recorded requests were due within 300 ms after the held one left,
        // so waited >= 100 ms: more than the 10% above p90
        assertTrue(r.p90() >= 100, "corrected p90 sees the queue behind the stall: " + r.p90());
        assertTrue(r.uncorrectedP99() < r.p90(), "measured from when they actually left, the queue is hidden: "
            + r.uncorrectedP99() + " ms against a corrected p90 of " + r.p90() + " ms");
    }

    @Test
    void requestsThatNeverLeftAreReportedAsLateNotForgotten() throws Exception {
        // Each answer takes 50 ms on one connection: ~50 requests leave in the whole run, all of them
        // due during the 0.5 s warm-up (500 were), so none of the 2,000 due in the window ever leaves.
        int port = serve(n -> new int[] {200, 50});
        LoadReport r = LoadGenerator.run(openLoop(port, 1, 1_000, 2, 0.5));
        assertEquals(2_000, tally.sentOfWindow(500, 2_000) + r.neverSent(),
            "each request due in the window was sent, or reported as never sent");
        assertTrue(tally.requests.get() < 500, "the server's pace: " + tally.requests.get() + " requests in all");
        assertEquals(2_000, r.neverSent());
        assertTrue(r.missedTarget());
        assertTrue(r.p50() > 500, "their latency counts from when they were due: " + r.p50());
        assertTrue(r.row().contains("never-sent=2000"), r.row());
    }

    @Test
    void errorStatusesAreCountedNotHidden() throws Exception {
        int port = serve(n -> new int[] {n % 2 == 0 ? 503 : 200, 0});
        // a second of warm-up: the window then holds answers even on a slow, shared machine
        LoadReport r = LoadGenerator.run(openLoop(port, 1, 500, 1, 1));
        long ok = r.statuses().getOrDefault(200, 0L);
        long busy = r.statuses().getOrDefault(503, 0L);
        // one connection answers in order, so the window holds a run of alternating answers
        assertTrue(Math.abs(ok - busy) <= 1, "every other response is a 503: " + r.statuses());
        assertTrue(busy > 0, "the window holds answers: " + r.statuses());
        assertEquals(Set.of(200, 503), r.statuses().keySet());
        assertTrue(ok <= tally.answered.get(200) && busy <= tally.answered.get(503),
            "only answers the server gave are counted: " + r.statuses() + " of " + tally.answered);
        assertEquals(busy, r.non2xx());
        assertTrue(r.row().contains("503=" + busy), r.row());
        assertTrue(r.toJson().contains("\"503\":" + busy), r.toJson());
    }

    @Test
    void aClientThatHonoursRetryAfterWaitsBeforeSendingAgain() throws Exception {
        int port = serve(n -> new int[] {503, 0});
        // Closed loop, 2 connections, 1.5 s in all: told to wait 1 s after each answer, a connection sends
        // at most twice (at 0 and at >= 1 s); one that does not wait sends as fast as answers come.
        LoadOptions polite = new LoadOptions("127.0.0.1", port, "/events", "POST", 2, 1, 0, 1, 1.3, 0.2, 1, null,
            "polite", 7, true);
        LoadReport r = LoadGenerator.run(polite);
        assertEquals(2, tally.arrivals.size());
        for (List<Long> connection : tally.arrivals) {
            assertTrue(connection.size() <= 2, "a connection sent " + connection.size() + " requests in 1.5 s");
            if (connection.size() == 2) {
                assertTrue(connection.get(1) - connection.get(0) >= TimeUnit.SECONDS.toNanos(1),
                    "the second request left " + (connection.get(1) - connection.get(0)) / 1e6 + " ms after the first");
            }
        }
        assertEquals(Set.of(503), r.statuses().keySet());
    }

    @Test
    void aClientThatIgnoresRetryAfterSendsAgainAtOnce() throws Exception {
        int port = serve(n -> new int[] {503, 0});
        LoadOptions rude = new LoadOptions("127.0.0.1", port, "/events", "POST", 1, 1, 0, 1, 0.5, 0.1, 1, null,
            "rude", 7, false);
        LoadGenerator.run(rude);
        assertTrue(tally.requests.get() > 10, "answered at once, it sent " + tally.requests.get() + " requests in 0.6 s");
    }

    @Test
    void closedLoopWithPipeliningKeepsDepthRequestsInFlightOnEveryConnection() throws Exception {
        // answers take 20 ms, so a connection that pipelines has all its requests waiting at the server
        int port = serve(n -> new int[] {200, 20});
        LoadOptions o = new LoadOptions("127.0.0.1", port, "/events", "POST", 2, 8, 0, 10, 1, 0.3, 1, null, "closed", 7, false);
        LoadReport r = LoadGenerator.run(o);
        assertEquals(2, tally.arrivals.size());
        assertEquals(8, tally.maxInFlightOnAConnection, "a connection keeps exactly its depth of requests in flight");
        assertEquals(Set.of(10), tally.eventsPerRequest, "every request carries a batch of 10 events");
        assertEquals(0, r.neverSent(), "a closed loop has no schedule to fall behind");
        assertEquals(0, r.connectionErrors());
        assertEquals(0, r.unanswered());
        assertTrue(r.statuses().getOrDefault(200, 0L) <= tally.requests.get(), "only answers the server gave are counted");
    }
}
