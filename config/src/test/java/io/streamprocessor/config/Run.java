package io.streamprocessor.config;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: runs a processor built from a configuration, posts events into it the way the
 * HTTP server does (claim, write, publish, wait for the answer), and keeps what reached the sinks.
 */
public final class Run implements AutoCloseable {
    public static final long T0 = 1_699_380_000_000L;

    private final StreamProcessor processor;
    private final Ingestor ingestor;
    public final List<String> sunk = Collections.synchronizedList(new ArrayList<>());

    public Run(ProcessorSettings.Builder builder) {
        this.processor = builder.topology(Topology.SINGLE).addSink(new Collect()).build().start();
        this.ingestor = processor.newIngestor();
    }

    public static Run of(LoadedConfig config) {
        return new Run(config.processorBuilder());
    }

    /** Posts one event and returns its outcome: "processed", "filtered" or "rejected". */
    public String post(String type, String source, long timestamp, String dataJson) throws InterruptedException {
        Request r = new Request();
        if (!ingestor.claim(1, r)) {
            throw new AssertionError("ring full");
        }
        ingestor.slot(0).type(type).source(source).timestamp(timestamp);
        TestEvents.writeData(ingestor.slot(0).data(), dataJson);
        ingestor.publish();
        if (!r.done.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no answer");
        }
        return r.processed() == 1 ? "processed" : r.filtered() == 1 ? "filtered" : "rejected";
    }

    public List<WindowResult> aggregations() {
        return processor.aggregations();
    }

    public StatsSnapshot stats() {
        return processor.stats();
    }

    @Override
    public void close() {
        processor.close();
    }

    private static final class Request extends IngestRequest {
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            done.countDown();
        }
    }

    private final class Collect implements Sink {
        private final EventJson json = new EventJson();

        @Override
        public String name() {
            return "collect";
        }

        @Override
        public void onEvent(EventView event) {
            int n = json.encode(event);
            String all = new String(json.buffer(), 0, n, StandardCharsets.UTF_8);
            sunk.add(all.substring(all.indexOf("\"data\":") + 7, all.length() - 1));
        }
    }
}
