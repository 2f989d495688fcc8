package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backpressure is told as it starts and as it ends, one line each, never once per refused request. */
class BackpressureNoticesTest {
    private static final long T0 = 1_699_380_000_000L;

    private final List<String> notices = new ArrayList<>();

    @Test
    void oneLineWhenItStartsAndOneWhenItEndsAndFlappingIsNotToldAgainAtOnce() throws Exception {
        HoldingSink sink = new HoldingSink();
        try (StreamProcessor p = StreamProcessor.builder().ringSize(4).topology(Topology.SINGLE).addSink(sink)
            .notices((level, line) -> {
                synchronized (notices) {
                    notices.add(level + " " + line);
                }
            }).build().start()) {
            Ingestor in = p.newIngestor();
            Events.Request first = fill(in, sink);
            for (int i = 0; i < 5; i++) {
                assertFalse(in.claim(1, null), "the ring is full");
            }
            assertEquals(List.of("WARN backpressure started: pipeline full; new events get 503 with Retry-After until "
                + "there is room"), said());

            sink.release();
            first.await();
            awaitDrained(p);
            Events.ingest(in, "metric", "web", T0, 1.0).await();
            assertEquals(2, said().size(), said().toString());
            assertTrue(said().get(1).matches("INFO backpressure ended after [\\d,]+ ms; 5 requests refused meanwhile"),
                said().get(1));

            // A second episode straight after is counted, not told: no more lines for it.
            first = fill(in, sink);
            assertFalse(in.claim(1, null));
            sink.release();
            first.await();
            awaitDrained(p);
            Events.ingest(in, "metric", "web", T0, 1.0).await();
            assertEquals(2, said().size(), said().toString());
        }
    }

    /** Holds the pipeline on the next event, then claims until the ring is full; returns the held event's request. */
    private static Events.Request fill(Ingestor in, HoldingSink sink) throws InterruptedException {
        sink.hold();
        Events.Request held = Events.ingest(in, "metric", "web", T0, 1.0);
        sink.awaitHolding();
        for (int i = 0; i < 3; i++) {
            Events.ingest(in, "metric", "web", T0, 1.0);
        }
        return held;
    }

    /**
     * Waits until every slot is through the pipeline. A request is answered from inside the
     * stage's batch, a moment before the stage hands its slot back, so a claim made straight after
     * the answer can still find the ring full (and would count as one more refusal).
     */
    private static void awaitDrained(StreamProcessor p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (p.ringUsed() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        assertEquals(0, p.ringUsed(), "the pipeline drained within 20 s");
    }

    private List<String> said() {
        synchronized (notices) {
            return List.copyOf(notices);
        }
    }

    /** Holds the sink stage on an event while told to, so that the ring fills behind it. */
    private static final class HoldingSink implements Sink {
        private volatile boolean hold;
        private volatile boolean holding;

        void hold() {
            hold = true;
        }

        void release() {
            hold = false;
        }

        void awaitHolding() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!holding && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
            assertTrue(holding, "the sink took the event within 20 s");
        }

        @Override
        public String name() {
            return "holding";
        }

        @Override
        public void onEvent(EventView event) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            holding = hold;
            while (hold && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
            holding = false;
        }
    }
}
