package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.RawHttp.Response;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.streamprocessor.transport.EventText.T0;
import static io.streamprocessor.transport.EventText.batch;
import static io.streamprocessor.transport.EventText.event;
import static io.streamprocessor.transport.EventText.events;
import static io.streamprocessor.transport.Json.longAt;
import static io.streamprocessor.transport.RawHttp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 on one connection: pipelined requests, connection fate, half-sent and broken requests. */
class PipeliningTest {
    private static final Map<String, Object> PROCESSED = Map.of("success", true, "message", "Event processed");

    /** A pipelined request and what its response must be. */
    private record Step(String request, int status, Consumer<Map<String, Object>> check) {
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException {
        try (TestServer s = TestServer.start()) {
            List<Step> steps = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i < 6; i++) {
                sum += 1 + 1 + i * 7;
            }
            long total = sum;
            long processed = 0;
            for (int i = 0; i < 6; i++) {
                int batchSize = 1 + i * 7;
                steps.add(new Step(request("POST", "/events", event("metric", "src-" + i, T0 + i, i)), 200,
                    b -> assertEquals(PROCESSED, b)));
                steps.add(new Step(request("POST", "/events/batch", batch(events(batchSize, "log", "src-" + i, T0, i))), 200,
                    b -> assertEquals(Map.of("total", (long) batchSize, "processed", (long) batchSize, "filtered", 0L), b)));
                processed += 1 + batchSize;
                long expected = processed;
                // Read-your-writes: a query sees every event acknowledged before it (and may see later ones).
                steps.add(new Step(request("GET", "/stats", null), 200, b -> {
                    long seen = longAt(b, "stats.totalProcessed");
                    assertTrue(seen >= expected && seen <= total, "stats saw " + seen + ", at least " + expected);
                }));
                if (i % 2 == 0) {
                    steps.add(new Step(request("POST", "/events", "{\"type\":\"metric\"}"), 400,
                        b -> assertTrue(((String) b.get("error")).contains("source"), b.toString())));
                } else {
                    steps.add(new Step(request("GET", "/nowhere", null), 404, b -> assertEquals(false, b.get("success"))));
                }
            }
            steps.add(new Step(request("GET", "/aggregations", null), 200, b -> assertEquals(6L, b.get("count"))));
            steps.add(new Step(request("DELETE", "/events", null), 405, b -> assertEquals(false, b.get("success"))));
            steps.add(new Step(request("GET", "/health", null), 200, b -> assertEquals("healthy", b.get("status"))));
            assertTrue(steps.size() >= 16);

            StringBuilder all = new StringBuilder();
            steps.forEach(st -> all.append(st.request));
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(all.toString());
                for (int i = 0; i < steps.size(); i++) {
                    Step st = steps.get(i);
                    Response r = c.read().checked("pipelined #" + i);
                    assertEquals(st.status, r.status(), "pipelined #" + i + ": " + r.body());
                    assertNull(r.header("connection"), "keep-alive stays the default");
                    st.check.accept(r.json());
                }
                // Still open and usable after the burst.
                c.write(request("GET", "/health", null));
                assertEquals(200, c.read().status());
                assertTrue(!c.closedWithin(Duration.ofMillis(100)), "keep-alive connection stays open");
            }
        }
    }

    @Test
    void pipelinedRequestsSplitAtOddBoundariesStillAnswerInOrder() throws IOException {
        try (TestServer s = TestServer.start()) {
            String burst = request("POST", "/events", event("metric", "a", T0, 1))
                + request("GET", "/stats", null)
                + request("POST", "/events/batch", batch(events(3, "metric", "a", T0, 1)))
                + request("GET", "/stats", null);
            byte[] bytes = burst.getBytes(StandardCharsets.UTF_8);
            try (RawHttp c = new RawHttp(s.port())) {
                for (int at = 0; at < bytes.length; at += 37) {
                    c.write(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 37)));
                }
                assertEquals(PROCESSED, c.read().checked("1").json());
                long seen = longAt(c.read().checked("2").json(), "stats.totalProcessed");
                assertTrue(seen == 1 || seen == 4, "sees the event before it, maybe the batch after: " + seen);
                assertEquals(3L, c.read().checked("3").json().get("processed"));
                assertEquals(4L, longAt(c.read().checked("4").json(), "stats.totalProcessed"));
            }
        }
    }

    @Test
    void connectionCloseIsAnsweredThenClosed() throws IOException {
        try (TestServer s = TestServer.start()) {
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(request("POST", "/events", event("metric", "a", T0, 1), "Connection: close"));
                Response r = c.read().checked("close");
                assertEquals(200, r.status());
                assertEquals(PROCESSED, r.json());
                assertEquals("close", r.header("connection"));
                assertTrue(c.closedWithin(Duration.ofSeconds(5)), "server closes after answering");
            }
            // Pipelined behind a Connection: close, a request is not answered.
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(request("GET", "/health", null) + request("GET", "/stats", null, "Connection: close")
                    + request("POST", "/events", event("metric", "a", T0, 1)));
                assertEquals(200, c.read().status());
                Response r = c.read();
                assertEquals("close", r.header("connection"));
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            assertEquals(1L, longAt(s.stats(), "stats.totalProcessed"), "nothing after Connection: close is taken");
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAndWithKeepAliveStaysOpen() throws IOException {
        try (TestServer s = TestServer.start()) {
            String body = event("metric", "a", T0, 1);
            String http10 = "POST /events HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(http10);
                Response r = c.read().checked("HTTP/1.0");
                assertEquals(200, r.status());
                assertEquals(PROCESSED, r.json());
                assertTrue(c.closedWithin(Duration.ofSeconds(5)), "HTTP/1.0 closes by default");
            }
            try (RawHttp c = new RawHttp(s.port())) {
                c.write("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                Response r = c.read().checked("HTTP/1.0 keep-alive");
                assertEquals(200, r.status());
                assertEquals("keep-alive", r.header("connection").toLowerCase());
                c.write("GET /stats HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals(1L, longAt(c.read().json(), "stats.totalProcessed"));
            }
        }
    }

    @Test
    void requestThatStopsHalfWayGets408WithinTheTimeoutAndIsClosed() throws IOException {
        ServerSettings.Builder settings = ServerSettings.builder().requestTimeoutMillis(500).idleTimeoutMillis(60_000);
        try (TestServer s = TestServer.start(StreamProcessor.builder(), settings)) {
            try (RawHttp c = new RawHttp(s.port())) {
                long start = System.nanoTime();
                c.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"type\":\"");
                Response r = c.read().checked("half-sent");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(408, r.status(), r.body());
                assertTrue(millis >= 400 && millis < 5_000, "408 after about the 500 ms timeout, took " + millis + " ms");
                assertTrue(c.closedWithin(Duration.ofSeconds(5)), "closed after the 408");
            }
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
        }
    }

    @Test
    void aTimedOutRequestIsAnsweredInItsTurnBehindTheAnswersStillOwed() throws IOException {
        CountingSink gate = CountingSink.gated();
        // A stage thread of its own lets the gated sink hold the first request in flight.
        TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).addSink(gate),
            ServerSettings.builder().requestTimeoutMillis(300).idleTimeoutMillis(60_000));
        try (RawHttp c = new RawHttp(s.port())) {
            c.write(request("POST", "/events", event("metric", "a", T0, 1))
                + "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":\"");
            assertTrue(!c.closedWithin(Duration.ofMillis(1_000)),
                "past the request timeout, yet nothing is written while the first answer is owed");
            gate.open();
            assertEquals(PROCESSED, c.read().checked("first").json());
            Response r = c.read().checked("timed out");
            assertEquals(408, r.status(), r.body());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "closed after the 408");
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void idleTimeoutCountsFromTheLastAnswerNotFromTheLastRequest() throws IOException {
        CountingSink gate = CountingSink.gated();
        TestServer s = TestServer.start(StreamProcessor.builder().topology(Topology.SINGLE).addSink(gate),
            ServerSettings.builder().requestTimeoutMillis(300).idleTimeoutMillis(1_500));
        try (RawHttp c = new RawHttp(s.port())) {
            c.write(request("POST", "/events", event("metric", "a", T0, 1)));
            assertTrue(!c.closedWithin(Duration.ofMillis(2_900)), "a connection waiting for its answer is not idle");
            gate.open();
            assertEquals(PROCESSED, c.read().checked("held").json());
            long answered = System.nanoTime();
            assertTrue(c.closedWithin(Duration.ofSeconds(10)), "closed once idle");
            long idleMillis = (System.nanoTime() - answered) / 1_000_000;
            // Counted from the request, the clock would run out again 3 s after it, about 0.1 s after the answer.
            assertTrue(idleMillis >= 1_100, "idle counted from the answer: closed " + idleMillis + " ms after it");
        } finally {
            gate.open();
            s.close();
        }
    }

    @Test
    void slowButSteadyRequestIsNotTimedOut() throws IOException {
        ServerSettings.Builder settings = ServerSettings.builder().requestTimeoutMillis(1_000).idleTimeoutMillis(60_000);
        try (TestServer s = TestServer.start(StreamProcessor.builder(), settings)) {
            try (RawHttp c = new RawHttp(s.port())) {
                String body = event("metric", "a", T0, 1);
                c.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n");
                // Each byte well inside the timeout; the whole request takes longer than it.
                for (int i = 0; i < body.length(); i++) {
                    c.write(body.substring(i, i + 1));
                    if (i % 5 == 0) {
                        assertTrue(!c.closedWithin(Duration.ofMillis(100)), "still open at byte " + i);
                    }
                }
                assertEquals(PROCESSED, c.read().checked("slow").json());
            }
        }
    }

    @Test
    void garbageThatIsNotHttpGets400AndIsClosed() throws IOException {
        try (TestServer s = TestServer.start()) {
            for (String garbage : List.of("HELLO THERE\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\r\n\r\n",
                "GET\r\n\r\n", "POST /events HTTP/1.1\r\nContent-Length: abc\r\n\r\n{}",
                "POST /events HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                "GET /stats HTTP/1.1\r\nno colon here\r\n\r\n", "GET /stats HTTP/1.1\nHost: x\n\n",
                "GET /stats HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n",
                "GET /stats HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")) {
                try (RawHttp c = new RawHttp(s.port())) {
                    c.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                    Response r = c.read().checked(garbage.substring(0, Math.min(20, garbage.length())));
                    assertTrue(r.status() == 400 || r.status() == 414 || r.status() == 431,
                        "broken HTTP gets a 4xx: " + r.status() + " " + r.body());
                    TestServer.assertSpeaksOfTheRequest(garbage, (String) r.json().get("error"));
                    assertTrue(c.closedWithin(Duration.ofSeconds(5)), "closed after the error");
                }
            }
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
            // Good requests after a bad one on the same connection are not read.
            try (RawHttp c = new RawHttp(s.port())) {
                c.write("BOGUS\r\n\r\n" + request("POST", "/events", event("metric", "a", T0, 1)));
                assertEquals(400, c.read().status());
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
        }
    }

    @Test
    void chunkedRequestBodyIsAccepted() throws IOException {
        try (TestServer s = TestServer.start()) {
            String body = batch(events(3, "metric", "a", T0, 1));
            String first = body.substring(0, 20);
            String rest = body.substring(20);
            try (RawHttp c = new RawHttp(s.port())) {
                c.write("POST /events/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                    + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
                assertEquals(Map.of("total", 3L, "processed", 3L, "filtered", 0L), c.read().checked("chunked").json());
            }
        }
    }

    @Test
    void oversizedPipelinedRequestTakesItsTurnAndTheConnectionGoesOn() throws IOException {
        ServerSettings.Builder settings = ServerSettings.builder().maxBodyBytes(1024).maxBatchEvents(100)
            .maxBufferedBodyBytes(64L << 20);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(128), settings)) {
            try (RawHttp c = new RawHttp(s.port())) {
                c.write(request("POST", "/events", event("metric", "a", T0, 1))
                    + request("POST", "/events", ApiContractTest.padded(200_000))
                    + request("POST", "/events/batch", batch(events(2, "metric", "a", T0, 1))));
                assertEquals(PROCESSED, c.read().checked("before").json());
                Response r = c.read().checked("oversized");
                assertEquals(413, r.status());
                assertNull(r.header("connection"), "the rest of the body is dropped and the connection kept");
                assertEquals(2L, c.read().checked("after").json().get("processed"));
            }
            assertEquals(3L, longAt(s.stats(), "stats.totalProcessed"));
        }
    }

    @Test
    void expectContinueGets100ForABodyWithinTheLimitAnd413WithoutWaitingForOneOver() throws IOException {
        ServerSettings.Builder settings = ServerSettings.builder().maxBodyBytes(1024).maxBatchEvents(100)
            .maxBufferedBodyBytes(64L << 20);
        try (TestServer s = TestServer.start(StreamProcessor.builder().ringSize(128), settings)) {
            String body = event("metric", "a", T0, 1);
            try (RawHttp c = new RawHttp(s.port())) {
                c.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n");
                assertEquals(100, c.read().status());
                c.write(body);
                assertEquals(PROCESSED, c.read().checked("after 100").json());

                c.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5000\r\n\r\n");
                Response r = c.read().checked("oversized, expecting 100");
                assertEquals(413, r.status());
                assertTrue(c.closedWithin(Duration.ofSeconds(5)), "the body never sent, the connection ends");
            }
            assertEquals(1L, longAt(s.stats(), "stats.totalProcessed"));
        }
    }

    @Test
    void requestWhoseHeadersStopHalfWayIsClosedByTheIdleTimeout() throws IOException {
        ServerSettings.Builder settings = ServerSettings.builder().requestTimeoutMillis(300).idleTimeoutMillis(1_000);
        try (TestServer s = TestServer.start(StreamProcessor.builder(), settings)) {
            try (RawHttp c = new RawHttp(s.port())) {
                long start = System.nanoTime();
                c.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Le");
                assertTrue(c.closedWithin(Duration.ofSeconds(10)), "not left hanging");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis >= 900, "closed by the 1 s idle timeout, after " + millis + " ms");
            }
            assertEquals(0L, longAt(s.stats(), "stats.totalReceived"));
        }
    }
}
