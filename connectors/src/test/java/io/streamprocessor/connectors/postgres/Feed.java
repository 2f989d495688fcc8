package io.streamprocessor.connectors.postgres;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: events into a processor one request at a time, as a client would send them, and waiting on conditions. */
final class Feed {
    static final long T0 = 1_699_380_000_000L;

    private Feed() {
    }

    /** Writes one event into a claimed slot. */
    interface EventText {
        void write(EventWriter slot);
    }

    /** A plain event {@code e<i>} of type metric, source s-<i mod 7>, at T0 + i, with data.value = i. */
    static EventText plain(int i) {
        return slot -> slot.id("e" + i).type("metric").source("s-" + (i % 7)).timestamp(T0 + i)
            .data().startObject().name("value").number(i).endObject();
    }

    /**
     * Sends events {@code from..to-1}, one request each, waiting for each answer.
     *
     * @return the indexes the processor acknowledged (took and processed); the others it refused
     */
    static List<Integer> send(StreamProcessor p, int from, int to, IntFunction<EventText> event) {
        Ingestor in = p.newIngestor();
        List<Integer> acknowledged = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Done r = new Done();
            if (!in.claim(1, r)) {
                continue;
            }
            event.apply(i).write(in.slot(0));
            in.publish();
            r.await();
            acknowledged.add(i);
        }
        return acknowledged;
    }

    /** An answer to one request. */
    static final class Done extends IngestRequest {
        private final CountDownLatch latch = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            latch.countDown();
        }

        void await() {
            try {
                assertTrue(latch.await(10, TimeUnit.SECONDS), "request answered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Polls until the condition holds, failing after the deadline. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        await(what, within, condition, () -> "");
    }

    /** Polls until the condition holds, failing after the deadline with the state {@code state} gives then. */
    static void await(String what, Duration within, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting until " + what + "; " + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a pause between polls
        }
    }

    /** A sink in memory that remembers each event's receive time by id: what the processor stamped. */
    static final class ReceivedAt implements Sink {
        private final Map<String, Long> byId = new HashMap<>();

        @Override
        public String name() {
            return "received-at";
        }

        @Override
        public void onEvent(EventView event) {
            synchronized (byId) {
                byId.put(event.id(), event.receivedAt());
            }
        }

        long of(String id) {
            synchronized (byId) {
                Long t = byId.get(id);
                assertTrue(t != null, "event " + id + " seen by the pipeline");
                return t;
            }
        }
    }
}
