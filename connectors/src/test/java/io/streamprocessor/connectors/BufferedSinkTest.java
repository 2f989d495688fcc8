package io.streamprocessor.connectors;

import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffering, retrying and overflow of {@link BufferedSink}, with a writer in memory that can be
 * made to fail or to hang: what the sink does around any target. The real targets have tests of
 * their own.
 */
class BufferedSinkTest {
    private static final long T0 = 1_699_380_000_000L;

    /** A target in memory: keeps every line written; fails or hangs on demand. */
    static final class MemoryWriter implements SinkWriter {
        final List<String> lines = new ArrayList<>();
        volatile boolean down;
        volatile CountDownLatch hang;
        int opens;

        @Override
        public void open() {
            if (down) {
                throw new IllegalStateException("target down");
            }
            opens++;
        }

        @Override
        public void write(EventBatch batch) throws InterruptedException {
            CountDownLatch h = hang;
            if (h != null) {
                h.await();
            }
            if (down) {
                throw new IllegalStateException("target down");
            }
            synchronized (lines) {
                for (int i = 0; i < batch.size(); i++) {
                    lines.add(new String(batch.array(), batch.lineStart(i), batch.lineLength(i), StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public void close() {
        }

        @Override
        public String target() {
            return "memory";
        }

        int count() {
            synchronized (lines) {
                return lines.size();
            }
        }
    }

    private static BufferSettings.Builder fast() {
        return BufferSettings.builder().retry(Duration.ofMillis(5), Duration.ofMillis(20)).drainTimeout(Duration.ofSeconds(5));
    }

    /** Publishes events {@code from..to-1} one request each, waiting for each to complete. */
    private static int send(StreamProcessor p, int from, int to) throws InterruptedException {
        Ingestor in = p.newIngestor();
        int taken = 0;
        for (int i = from; i < to; i++) {
            Done r = new Done();
            if (!in.claim(1, r)) {
                continue;
            }
            in.slot(0).type("metric").source("s-" + i).id("e" + i).timestamp(T0 + i)
                .data().startObject().name("value").number(i).name("text").string("é \"" + i + "\"").endObject();
            in.publish();
            r.await();
            taken++;
        }
        return taken;
    }

    static final class Done extends IngestRequest {
        private final CountDownLatch latch = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            latch.countDown();
        }

        void await() throws InterruptedException {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "request completed");
        }
    }

    /** Waits, boundedly, until the condition holds. */
    private static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void everyEventIsDeliveredWholeAndInOrder() throws Exception {
        MemoryWriter target = new MemoryWriter();
        BufferedSink sink = new BufferedSink("mem", target, fast().flushEvents(7).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 100);
        }
        assertEquals(100, target.count());
        for (int i = 0; i < 100; i++) {
            String line = target.lines.get(i);
            assertTrue(line.startsWith("{\"id\":\"e" + i + "\",\"type\":\"metric\",\"source\":\"s-" + i + "\""), line);
            assertTrue(line.endsWith(",\"data\":{\"value\":" + i + ",\"text\":\"é \\\"" + i + "\\\"\"}}"), line);
        }
        SinkStatus s = sink.status();
        assertEquals(100, s.written());
        assertEquals(0, s.buffered());
        assertEquals(0, s.dropped());
        assertFalse(s.failing());
    }

    @Test
    void aTargetThatFailsIsRetriedUntilItTakesEverythingAndTheFailuresAreCounted() throws Exception {
        MemoryWriter target = new MemoryWriter();
        target.down = true;
        BufferedSink sink = new BufferedSink("mem", target, fast().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(50, send(p, 0, 50));
            waitFor(() -> sink.status().failed() >= 3, "a few attempts failed");
            SinkStatus down = sink.status();
            assertTrue(down.failing());
            assertEquals(50, down.buffered());
            assertEquals("target down", down.lastError());
            assertTrue(down.lastErrorAt() > 0);
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());
            assertTrue(p.health().reason().contains("mem") && p.health().reason().contains("target down"), p.health().reason());

            target.down = false;
            waitFor(() -> sink.status().written() == 50, "the backlog is delivered");
            assertFalse(sink.status().failing());
            assertEquals(StreamProcessor.Health.Status.HEALTHY, p.health().status());
            assertEquals("target down", sink.status().lastError(), "the last error stays, with its time");
        }
        assertEquals(50, target.count());
    }

    @Test
    void underDropTheDroppedCountIsExactlyWhatIsMissing() throws Exception {
        MemoryWriter target = new MemoryWriter();
        target.hang = new CountDownLatch(1);
        BufferedSink sink = new BufferedSink("mem", target,
            fast().overflow(Overflow.DROP).bufferEvents(10).flushEvents(4).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(200, send(p, 0, 200), "drop never refuses a request");
            target.hang.countDown();
        }
        SinkStatus s = sink.status();
        assertTrue(s.dropped() > 0, "a full buffer dropped some");
        assertEquals(200 - target.count(), s.dropped(), "every missing event is counted");
        assertEquals(200, s.written() + s.dropped());
    }

    @Test
    void underBackpressureAFullBufferRefusesRequestsAndTakesThemAgainOnceDrained() throws Exception {
        MemoryWriter target = new MemoryWriter();
        target.down = true;
        BufferedSink sink = new BufferedSink("mem", target, fast().bufferEvents(100).build());
        try (StreamProcessor p = StreamProcessor.builder().ringSize(16).addSink(sink).build().start()) {
            int taken = send(p, 0, 300);
            assertTrue(taken < 300 && taken >= 100 - 16, "taken until the buffer was full: " + taken);
            Ingestor in = p.newIngestor();
            assertFalse(in.claim(1, new Done()));
            assertEquals("sink mem is behind, retry later", in.refusal());

            target.down = false;
            waitFor(() -> sink.status().buffered() == 0, "the buffer drains");
            assertEquals(10, send(p, 1_000, 1_010), "taken again");
            assertEquals(0, sink.status().dropped());
            waitFor(() -> target.count() == taken + 10, "everything accepted delivered");
        }
    }

    @Test
    void shutdownWithADeadTargetEndsWithinTheDrainTimeoutAndCountsWhatItCouldNotDeliver() throws Exception {
        MemoryWriter target = new MemoryWriter();
        target.down = true;
        BufferedSink sink = new BufferedSink("mem", target, fast().drainTimeout(Duration.ofMillis(300)).build());
        StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start();
        send(p, 0, 20);
        long start = System.nanoTime();
        p.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 3_000, "close took " + tookMillis + " ms");
        SinkStatus s = sink.status();
        assertEquals(20, s.dropped(), "what could not be delivered is counted");
        assertEquals(0, s.buffered());
        assertEquals(0, s.written());
    }
}
