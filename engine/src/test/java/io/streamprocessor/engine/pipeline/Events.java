package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test helpers: writing events, waiting on requests, collecting what reaches a sink. */
final class Events {
    private Events() {
    }

    static EventWriter write(EventWriter slot, String type, String source, long timestamp, Double value) {
        slot.type(type).source(source).timestamp(timestamp);
        if (value != null) {
            slot.data().startObject().name("value").number(value).endObject();
        }
        return slot;
    }

    /** Claims, writes and publishes one event; fails the test if the ring is full. */
    static Request ingest(Ingestor in, String type, String source, long timestamp, Double value) {
        Request r = new Request();
        if (!in.claim(1, r)) {
            throw new AssertionError("ring full");
        }
        write(in.slot(0), type, source, timestamp, value);
        in.publish();
        return r;
    }

    /** A request whose completion can be awaited from the test thread. */
    static final class Request extends IngestRequest {
        private final CountDownLatch done = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            done.countDown();
        }

        Request await() throws InterruptedException {
            if (!done.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("request did not complete: " + (expected()) + " expected");
            }
            return this;
        }

        boolean isDone() {
            return done.getCount() == 0;
        }
    }

    /** Keeps every event it receives as a JSON line; read only after the pipeline is quiet. */
    static final class CollectingSink implements Sink {
        private final EventJson json = new EventJson();
        final List<String> lines = new ArrayList<>();

        @Override
        public String name() {
            return "collect";
        }

        @Override
        public void onEvent(EventView event) {
            int n = json.encode(event);
            lines.add(new String(json.buffer(), 0, n, StandardCharsets.UTF_8));
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }
    }
}
