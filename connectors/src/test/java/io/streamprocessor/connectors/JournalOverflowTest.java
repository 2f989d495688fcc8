package io.streamprocessor.connectors;

import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overflow {@code journal}: a sink whose buffer is full falls behind instead of refusing requests
 * or dropping, and reads what it missed back from the journal once it has room, in order.
 */
class JournalOverflowTest {
    @TempDir
    Path dir;

    /** Holds every write until opened, then records the ids it delivered. */
    static final class GatedWriter implements SinkWriter {
        final CountDownLatch gate = new CountDownLatch(1);
        final List<String> ids = new ArrayList<>();

        @Override
        public void open() {
        }

        @Override
        public void write(EventBatch batch) throws InterruptedException {
            gate.await();
            synchronized (ids) {
                for (int i = 0; i < batch.size(); i++) {
                    ids.add(batch.id(i));
                }
            }
        }

        int delivered() {
            synchronized (ids) {
                return ids.size();
            }
        }

        @Override
        public void close() {
        }

        @Override
        public String target() {
            return "gated test target";
        }
    }

    static final class Request extends IngestRequest {
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        protected void onComplete() {
            done.countDown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Topology.class, names = {"SINGLE", "FUSED", "INLINE"})
    void aFullSinkFallsBehindWithoutRefusingAndCatchesUpFromTheJournalInOrder(Topology topology) throws Exception {
        GatedWriter writer = new GatedWriter();
        BufferedSink sink = new BufferedSink("slow", writer, BufferSettings.builder()
            .bufferEvents(64).flushEvents(16).flushInterval(Duration.ofMillis(1)).overflow(Overflow.JOURNAL).build());
        int events = 2_000;
        List<String> sent = new ArrayList<>();
        try (StreamProcessor p = StreamProcessor.builder().topology(topology).ringSize(256)
            .journal(JournalSettings.in(dir)).addSink(sink).build().start()) {
            Ingestor in = p.newIngestor();
            for (int k = 0; k < events; k += 50) {
                Request r = new Request();
                assertTrue(in.claim(50, r), "never refused for the sink: " + in.refusal());
                for (int i = 0; i < 50; i++) {
                    String id = "e" + (k + i);
                    sent.add(id);
                    in.slot(i).id(id).type("metric").source("s" + i % 5).data().startObject().name("value").number(k + i).endObject();
                }
                in.publish();
                assertTrue(r.done.await(20, TimeUnit.SECONDS));
            }
            assertTrue(writer.delivered() == 0, "nothing written while the target holds");
            writer.gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writer.delivered() < events && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, p.stats().sinks().get("slow").dropped());
        }
        synchronized (writer.ids) {
            assertEquals(sent, writer.ids, "every event once, in order: the ones it held, then the ones it read back");
        }
    }
}
