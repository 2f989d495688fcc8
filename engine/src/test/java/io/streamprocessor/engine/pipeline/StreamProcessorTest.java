package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.aggregate.DistinctValues;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.sink.MetricsSink;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.streamprocessor.engine.pipeline.Events.ingest;
import static io.streamprocessor.engine.pipeline.Events.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamProcessorTest {
    private static final FieldPath VALUE = FieldPath.of("data.value");
    private static final FieldPath NORMALIZED = FieldPath.of("normalized");
    private static final long T0 = 1_699_380_000_000L;

    @ParameterizedTest
    @EnumSource(Topology.class)
    void filtersThenTransformsThenSinksAndAggregates(Topology topology) throws Exception {
        Events.CollectingSink sink = new Events.CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder()
            .topology(topology)
            .addFilter(e -> e.number(VALUE, 0) > 0)
            .addTransform(e -> e.set(NORMALIZED, e.value() / 100))
            .addSink(sink)
            .build().start()) {
            Ingestor in = p.newIngestor();
            Events.Request kept = ingest(in, "metric", "api-server", T0, 125.0).await();
            Events.Request dropped = ingest(in, "metric", "api-server", T0 + 1, -5.0).await();

            assertEquals(1, kept.processed());
            assertEquals(1, dropped.filtered());
            StatsSnapshot stats = p.stats();
            assertEquals(2, stats.totalReceived());
            assertEquals(1, stats.totalProcessed());
            assertEquals(1, stats.totalFiltered());
            assertEquals(1L, stats.metrics().get("metric:api-server"));
            assertEquals(1, sink.snapshot().size());
            assertTrue(sink.snapshot().get(0).contains("\"data\":{\"value\":125,\"normalized\":1.25}"), sink.snapshot().get(0));

            List<WindowResult> windows = p.aggregations();
            assertEquals(6, windows.size(), "default 60 s / 10 s windows: an event is in six");
            for (WindowResult w : windows) {
                assertEquals(1, w.count());
                assertEquals(125.0, w.sum());
                assertEquals(1, w.distinctSources());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void severalProducersLoseNothingAndCountNothingTwice(Topology topology) throws Exception {
        severalProducers(topology, false);
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void severalProducersTakeTurnsOnARingBuiltForOne(Topology topology) throws Exception {
        // A single-producer ring that several threads publish to anyway (the server's control loop and
        // journal beside its one I/O thread): a lock gives them turns, so nothing is lost or doubled.
        severalProducers(topology, true);
    }

    @Test
    void onARingBuiltForOneProducerAThreadHoldsOneClaimAtATime() {
        try (StreamProcessor p = StreamProcessor.builder().singleProducer(true).ringSize(64).build().start()) {
            Ingestor first = p.newIngestor();
            Ingestor second = p.newIngestor();
            assertTrue(first.claim(2, null));
            // Publishing the second claim first would publish the first's unwritten slots.
            assertThrows(IllegalStateException.class, () -> second.claim(1, null));
            write(first.slot(0), "a", "s", T0, 1.0);
            write(first.slot(1), "a", "s", T0, 2.0);
            first.publish();
            assertTrue(second.claim(1, null));
            write(second.slot(0), "a", "s", T0, 3.0);
            second.publish();
            assertEquals(3, p.stats().totalProcessed());
        }
    }

    private void severalProducers(Topology topology, boolean singleProducer) throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        Map<String, Integer> deliveries = new HashMap<>();
        Sink idSink = new Sink() {
            @Override
            public String name() {
                return "ids";
            }

            @Override
            public void onEvent(EventView event) {
                deliveries.merge(event.id(), 1, Integer::sum);
            }
        };
        try (StreamProcessor p = StreamProcessor.builder()
            .topology(topology)
            .singleProducer(singleProducer)
            .ringSize(1024)
            .window(Duration.ofSeconds(10), Duration.ofSeconds(10))
            .retention(Duration.ofDays(1))
            .addSink(idSink)
            .build().start()) {
            List<Thread> threads = new ArrayList<>();
            AtomicInteger processed = new AtomicInteger();
            for (int t = 0; t < producers; t++) {
                int producer = t;
                threads.add(new Thread(() -> {
                    Ingestor in = p.newIngestor();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int sent = 0;
                    while (sent < perProducer) {
                        int n = Math.min(perProducer - sent, 1 + random.nextInt(100));
                        Events.Request r = new Events.Request();
                        while (!in.claim(n, r)) {
                            Thread.onSpinWait();
                        }
                        for (int i = 0; i < n; i++) {
                            write(in.slot(i), "t" + (sent + i) % 3, "s" + producer, T0 + (sent + i) * 7L, 1.0)
                                .id("p" + producer + "-" + (sent + i));
                        }
                        in.publish();
                        try {
                            processed.addAndGet(r.await().processed());
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        sent += n;
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(60_000);
                assertFalse(t.isAlive(), "producer did not finish");
            }
            int total = producers * perProducer;
            assertEquals(total, processed.get());
            StatsSnapshot stats = p.stats();
            assertEquals(total, stats.totalReceived());
            assertEquals(total, stats.totalProcessed());
            assertEquals(total, stats.metrics().values().stream().mapToLong(Long::longValue).sum());
            long aggregated = p.aggregations().stream().mapToLong(WindowResult::count).sum();
            assertEquals(total, aggregated, "tumbling windows count each event once");
            p.close();
            assertEquals(total, deliveries.size(), "every event reached the sink");
            assertEquals(List.of(), deliveries.entrySet().stream().filter(d -> d.getValue() > 1).toList(),
                "no event reached the sink twice");
        }
    }

    @Test
    void fullRingAnswersFullAtOnceAndRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Sink blocking = new Sink() {
            @Override
            public String name() {
                return "blocking";
            }

            @Override
            public void onEvent(EventView event) throws InterruptedException {
                release.await(30, TimeUnit.SECONDS);
            }
        };
        try (StreamProcessor p = StreamProcessor.builder().topology(Topology.SINGLE).ringSize(8)
            .addSink(blocking).build().start()) {
            Ingestor in = p.newIngestor();
            List<Events.Request> accepted = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                accepted.add(ingest(in, "metric", "s", T0, 1.0));
            }
            assertFalse(in.claim(1, new Events.Request()), "a full ring refuses at once");
            assertFalse(in.claim(9, new Events.Request()), "more than the ring can ever hold is refused");
            assertEquals(StreamProcessor.Health.Status.UNHEALTHY, p.health().status());
            release.countDown();
            for (Events.Request r : accepted) {
                assertEquals(1, r.await().processed());
            }
            assertEquals(8, p.stats().totalProcessed(), "a query waits until the ring has drained");
            assertEquals(1, ingest(in, "metric", "s", T0, 1.0).await().processed());
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void closeDrainsEverythingAccepted(Topology topology) throws Exception {
        MetricsSink metrics = new MetricsSink();
        StreamProcessor p = StreamProcessor.builder().topology(topology).ringSize(4096).addSink(metrics).build().start();
        Ingestor in = p.newIngestor();
        List<Events.Request> requests = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            Events.Request r = new Events.Request();
            if (in.claim(1, r)) {
                write(in.slot(0), "metric", "s", T0 + i, (double) i);
                in.publish();
                requests.add(r);
                accepted++;
            }
        }
        p.close();
        assertEquals(accepted, metrics.events(), "every accepted event reached the sink before close returned");
        for (Events.Request r : requests) {
            assertTrue(r.isDone());
        }
        assertFalse(in.claim(1, null), "a closed processor takes nothing");
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void everyEventIsTimedOnceAndEveryReadSeesTheLatenciesOfWhatItWaitedFor(Topology topology) throws Exception {
        try (StreamProcessor p = StreamProcessor.builder().topology(topology).build().start()) {
            Ingestor in = p.newIngestor();
            long timed = 0;
            for (int size : new int[] {100, 37, 1, 250}) {
                Events.Request r = new Events.Request();
                assertTrue(in.claim(size, r));
                for (int j = 0; j < size; j++) {
                    write(in.slot(j), "metric", "s-" + j, T0 + j, (double) j);
                }
                in.publish();
                r.await();
                timed += size;
                assertEquals(timed, p.stats(StreamProcessor.ReadAfter.COMPLETED).recent().count());
            }
            // fire-and-forget events are timed too, once processed
            assertTrue(in.claim(5, null));
            for (int j = 0; j < 5; j++) {
                write(in.slot(j), "log", "s", T0, null);
            }
            in.publish();
            assertEquals(timed + 5, p.stats().recent().count());
        }
    }

    @Test
    void queriesSeeEverythingPublishedBeforeThem() {
        try (StreamProcessor p = StreamProcessor.builder().build().start()) {
            Ingestor in = p.newIngestor();
            for (int i = 1; i <= 200; i++) {
                ingest(in, "metric", "s", T0 + i, 1.0);
                assertEquals(i, p.stats().totalProcessed());
                assertEquals(i, p.aggregations().get(0).count());
            }
        }
    }

    @Test
    void rejectionsAreReportedWithTheirIndexAndReason() throws Exception {
        try (StreamProcessor p = StreamProcessor.builder().build().start()) {
            Ingestor in = p.newIngestor();
            Events.Request r = new Events.Request();
            assertTrue(in.claim(3, r));
            write(in.slot(0), "metric", "s", T0, 1.0);
            in.slot(1).source("s").timestamp(T0);
            write(in.slot(2), "metric", "s", -1, 1.0);
            in.publish();
            r.await();
            assertEquals(1, r.processed());
            assertEquals(2, r.rejected());
            assertEquals(1, r.errorIndex(0));
            assertEquals("type: required", r.errorMessage(0));
            assertEquals(2, r.errorIndex(1));
            assertEquals("timestamp: must be > 0", r.errorMessage(1));
            StatsSnapshot stats = p.stats();
            assertEquals(3, stats.totalReceived());
            assertEquals(2, stats.totalRejected());
            assertEquals(1, stats.totalProcessed());
        }
    }

    @Test
    void voidSlotsAreCountedByNoStage() throws Exception {
        MetricsSink metrics = new MetricsSink();
        try (StreamProcessor p = StreamProcessor.builder().addSink(metrics).build().start()) {
            Ingestor in = p.newIngestor();
            assertTrue(in.claim(5, new Events.Request()));
            write(in.slot(0), "metric", "s", T0, 1.0);
            in.publishVoid();
            ingest(in, "metric", "s", T0, 1.0).await();
            StatsSnapshot stats = p.stats();
            assertEquals(1, stats.totalReceived());
            assertEquals(1, stats.totalProcessed());
            assertEquals(1, p.aggregations().get(0).count());
        }
    }

    @Test
    void lateEventIsCountedAndSunkButNotAggregated() throws Exception {
        MetricsSink metrics = new MetricsSink();
        try (StreamProcessor p = StreamProcessor.builder()
            .window(Duration.ofSeconds(1), Duration.ofSeconds(1)).retention(Duration.ZERO)
            .addSink(metrics).build().start()) {
            Ingestor in = p.newIngestor();
            ingest(in, "metric", "s", T0 + 100_000, 1.0).await();
            Events.Request late = ingest(in, "metric", "s", T0, 1.0).await();
            assertEquals(1, late.late());
            assertEquals(1, late.processed(), "a late event still counts as processed");
            StatsSnapshot stats = p.stats();
            assertEquals(1, stats.totalLate());
            assertEquals(2, stats.totalProcessed());
            List<WindowResult> windows = p.aggregations();
            assertEquals(1, windows.size());
            assertEquals(T0 + 100_000, windows.get(0).start());
            p.close();
            assertEquals(2, metrics.events(), "late events still go to the sinks");
        }
    }

    @Test
    void failingSinkNeitherStopsThePipelineNorOtherSinks() throws Exception {
        MetricsSink healthy = new MetricsSink();
        Sink failing = new Sink() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public void onEvent(EventView event) {
                throw new IllegalStateException("down");
            }
        };
        List<String> errors = new ArrayList<>();
        try (StreamProcessor p = StreamProcessor.builder().addSink(failing).addSink(healthy)
            .errorHandler((where, error) -> {
                synchronized (errors) {
                    errors.add(where);
                }
            })
            .build().start()) {
            Ingestor in = p.newIngestor();
            for (int i = 0; i < 10; i++) {
                assertEquals(1, ingest(in, "metric", "s", T0 + i, 1.0).await().processed());
            }
            assertEquals(10L, p.sinkStatuses().get("flaky").failed());
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());
            assertTrue(p.health().reason().contains("flaky"), p.health().reason());
            assertTrue(p.health().reason().contains("down"), "names the error: " + p.health().reason());
            assertEquals(0L, p.sinkStatuses().get("flaky").written());
            assertEquals(10L, p.sinkStatuses().get("metrics").written());
            assertFalse(p.sinkStatuses().get("metrics").failing());
            p.close();
            assertEquals(10, healthy.events());
            synchronized (errors) {
                assertEquals(10, errors.size());
                assertEquals("sink flaky", errors.get(0));
            }
        }
    }

    @Test
    void throwingFilterRejectsOnlyThatEvent() throws Exception {
        try (StreamProcessor p = StreamProcessor.builder()
            .addFilter(e -> {
                if (e.value() == 13) {
                    throw new ArithmeticException("unlucky");
                }
                return true;
            })
            .errorHandler((where, error) -> { })
            .build().start()) {
            Ingestor in = p.newIngestor();
            assertEquals(1, ingest(in, "metric", "s", T0, 13.0).await().rejected());
            assertEquals(1, ingest(in, "metric", "s", T0, 14.0).await().processed());
            StatsSnapshot stats = p.stats();
            assertEquals(1, stats.totalRejected());
            assertEquals(1, stats.totalProcessed());
        }
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void anAggregationThatThrowsLeavesTheEventProcessedAndTheCountsWhole(Topology topology) throws Exception {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Events.CollectingSink sink = new Events.CollectingSink();
        try (StreamProcessor p = StreamProcessor.builder()
            .topology(topology)
            .addAggregation(new ThrowingOn13())
            .addSink(sink)
            .errorHandler((where, error) -> errors.add(where))
            .build().start()) {
            Ingestor in = p.newIngestor();
            assertEquals(1, ingest(in, "metric", "s", T0, 13.0).await().processed(), "it passed the filters");
            assertEquals(1, ingest(in, "metric", "s", T0, 14.0).await().processed());
            StatsSnapshot stats = p.stats();
            assertEquals(2, stats.totalReceived());
            assertEquals(2, stats.totalProcessed());
            assertEquals(0, stats.totalRejected());
            p.close();
            assertEquals(2, sink.snapshot().size(), "both reached the sink");
            assertFalse(errors.isEmpty(), "the error was reported");
        }
    }

    /** A custom aggregation that fails on the value 13. */
    private static final class ThrowingOn13 implements io.streamprocessor.engine.aggregate.Aggregation<long[]> {
        @Override
        public String name() {
            return "fragile";
        }

        @Override
        public long[] createState() {
            return new long[1];
        }

        @Override
        public void accumulate(long[] state, EventView event) {
            if (event.value() == 13) {
                throw new ArithmeticException("unlucky");
            }
            state[0]++;
        }

        @Override
        public void merge(long[] target, long[] source) {
            target[0] += source[0];
        }

        @Override
        public void reset(long[] state) {
            state[0] = 0;
        }

        @Override
        public Object result(long[] merged) {
            return merged[0];
        }
    }

    @Test
    void cardinalityBoundsHoldUnderAFloodOfTypesAndSources() throws Exception {
        try (StreamProcessor p = StreamProcessor.builder()
            .window(Duration.ofSeconds(60), Duration.ofSeconds(60))
            .typesPerWindow(10).maxTypes(50).maxSources(50).maxMetricKeys(20)
            .build().start()) {
            Ingestor in = p.newIngestor();
            int n = 5_000;
            for (int i = 0; i < n; i += 100) {
                Events.Request r = new Events.Request();
                assertTrue(in.claim(100, r));
                for (int j = 0; j < 100; j++) {
                    write(in.slot(j), "type-" + (i + j), "source-" + (i + j), T0 + 1, 1.0);
                }
                in.publish();
                r.await();
            }
            List<WindowResult> windows = p.aggregations();
            assertEquals(1, windows.size());
            WindowResult w = windows.get(0);
            assertEquals(n, w.count());
            assertEquals(11, w.eventsByType().size(), "ten types and _other");
            assertEquals(n - 10, w.eventsByType().get(WindowResult.OTHER));
            assertEquals(n, w.eventsByType().values().stream().mapToLong(Long::longValue).sum());
            assertEquals(n, w.distinctSources(), "distinct sources are counted beyond the intern bound");
            StatsSnapshot stats = p.stats();
            assertTrue(stats.metrics().size() <= 21, "metrics bounded: " + stats.metrics().size());
            assertEquals(n, stats.metrics().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(stats.metrics().get(WindowResult.OTHER) >= n - 20);
        }
    }

    @Test
    void customAggregationMergesAcrossPanes() throws Exception {
        try (StreamProcessor p = StreamProcessor.builder()
            .window(Duration.ofSeconds(3), Duration.ofSeconds(1))
            .addAggregation(new DistinctValues("uniqueUsers", "userId", 10_000))
            .build().start()) {
            Ingestor in = p.newIngestor();
            String[][] usersPerSecond = {{"ann", "bob"}, {"bob", "cid"}, {"dee"}};
            Events.Request last = null;
            for (int second = 0; second < usersPerSecond.length; second++) {
                for (String user : usersPerSecond[second]) {
                    last = new Events.Request();
                    assertTrue(in.claim(1, last));
                    in.slot(0).type("click").source("web").timestamp(T0 + second * 1000L)
                        .data().startObject().name("userId").string(user).endObject();
                    in.publish();
                }
            }
            last.await();
            WindowResult full = p.aggregations().stream().filter(w -> w.start() == T0).findFirst().orElseThrow();
            assertEquals(4L, full.custom().get("uniqueUsers"), "ann, bob, cid, dee: bob counted once");
            assertEquals(5, full.count());
            assertNull(full.avg(), "no numeric values in the window");
        }
    }

    @Test
    void eventOutcomeIsVisibleToTheRequestPerEvent() throws Exception {
        try (StreamProcessor p = StreamProcessor.builder().addFilter(e -> !"debug".equals(e.type())).build().start()) {
            Ingestor in = p.newIngestor();
            Events.Request r = new Events.Request();
            assertTrue(in.claim(4, r));
            write(in.slot(0), "metric", "s", T0, 1.0);
            write(in.slot(1), "debug", "s", T0, 1.0);
            write(in.slot(2), "metric", "", T0, 1.0);
            write(in.slot(3), "metric", "s", T0, null);
            in.publish();
            r.await();
            assertEquals(4, r.expected());
            assertEquals(2, r.processed());
            assertEquals(1, r.filtered());
            assertEquals(1, r.rejected());
            assertEquals("source: must be 1-256 characters", r.errorMessage(0));
        }
    }
}
