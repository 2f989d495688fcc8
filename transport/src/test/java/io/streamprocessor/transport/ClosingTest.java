package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An answer given at a request's head, ahead of a body still on its way, to a request that ends
 * its connection: the client must be able to send all of its body and then read the answer. Had
 * the server closed with the client's bytes unread, the kernel would reset the connection, and a
 * client that sends its whole body before reading (as these, and most) would lose the answer.
 */
class ClosingTest {
    @Test
    void aClientShedWithConnectionCloseReadsThe503AfterSendingItsWholeBody() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The stage waits on the first event, so a batch fills the small ring past 90% and what comes next is shed at its head.
        try (TestServer s = TestServer.start(
                StreamProcessor.builder().ringSize(1024)
                    .addAggregation(new HoldingCount("held", HoldingCount.Where.FIRST_EVENT, inside, release)),
                ServerSettings.builder().maxBatchEvents(1000))) {
            CompletableFuture<TestServer.Reply> filling = s.sendAsync("POST", "/events/batch",
                EventText.batch(EventText.events(1000, "click", "web", EventText.T0, 1)));
            try {
                assertTrue(inside.await(10, TimeUnit.SECONDS), "the first event never reached the aggregation");
                TestServer.awaitTrue("the ring to fill", Duration.ofSeconds(10),
                    () -> s.processor.ringUsed() * 10 > s.processor.ringCapacity() * 9L);
                // A body larger than the sockets' buffers: the 503 is answered at its head while most of it is still to be sent.
                try (RawHttp c = new RawHttp(s.port())) {
                    RawHttp.Response r = c.write(head(12 << 20)).write(spaces(12 << 20)).read();
                    assertEquals(503, r.status(), r.body());
                    assertTrue(r.header("retry-after") != null, "Retry-After: " + r);
                    assertTrue(c.closedWithin(Duration.ofSeconds(10)), "the connection was not closed after the answer");
                }
            } finally {
                release.countDown();
            }
            filling.get(20, TimeUnit.SECONDS).assertStatus(200);
            assertEquals(1000L, totalProcessed(s), "nothing of the shed batch was taken");
        }
    }

    @Test
    void aClientWithAnOversizedBodyAndConnectionCloseReadsThe413AfterSendingItWhole() throws Exception {
        try (TestServer s = TestServer.start(StreamProcessor.builder(), ServerSettings.builder().maxBodyBytes(1 << 20))) {
            try (RawHttp c = new RawHttp(s.port())) {
                RawHttp.Response r = c.write(head(12 << 20)).write(spaces(12 << 20)).read();
                assertEquals(413, r.status(), r.body());
                assertTrue(c.closedWithin(Duration.ofSeconds(10)), "the connection was not closed after the answer");
            }
            s.post("/events", EventText.event("click", "web", EventText.T0, 1)).assertStatus(200);
        }
    }

    private static byte[] head(int length) {
        return ("POST /events/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] spaces(int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) ' ');
        return body;
    }

    private static long totalProcessed(TestServer s) {
        Map<?, ?> stats = (Map<?, ?>) s.get("/stats").json().get("stats");
        return ((Number) stats.get("totalProcessed")).longValue();
    }
}
