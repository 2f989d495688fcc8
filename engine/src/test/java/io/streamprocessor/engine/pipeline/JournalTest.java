package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.WindowResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.streamprocessor.engine.pipeline.Events.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A processor started again on its journal continues where the last one stopped: the same
 * windows, the same totals and metrics, and each sink gets the events it had not delivered.
 */
class JournalTest {
    private static final FieldPath VALUE = FieldPath.of("data.value");
    private static final FieldPath DOUBLED = FieldPath.of("doubled");
    private static final long T0 = 1_699_380_000_000L;

    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    private ProcessorSettings.Builder builder(Topology topology, JournalSettings journal) {
        return StreamProcessor.builder()
            .topology(topology)
            .ringSize(1024)
            .window(Duration.ofSeconds(60), Duration.ofSeconds(10))
            .retention(Duration.ofMinutes(5))
            .clock(java.time.Clock.fixed(java.time.Instant.ofEpochMilli(T0 + 3_600_000), java.time.ZoneOffset.UTC))
            .addFilter(e -> e.number(VALUE, 0) >= 0)
            .addTransform(e -> e.set(DOUBLED, e.value() * 2))
            .journal(journal)
            .notices(line -> {
                synchronized (notices) {
                    notices.add(line);
                }
            });
    }

    /**
     * Events spread over 20 minutes of event time, out of order, some late, some filtered (a
     * negative value), some rejected (no source), with 40 sources and 5 types.
     */
    private static int ingestMix(StreamProcessor p, long seed, int events) throws InterruptedException {
        Random random = new Random(seed);
        Ingestor in = p.newIngestor();
        int sent = 0;
        while (sent < events) {
            int n = Math.min(events - sent, 1 + random.nextInt(50));
            Events.Request r = new Events.Request();
            assertTrue(in.claim(n, r), in.refusal());
            for (int i = 0; i < n; i++) {
                int k = sent + i;
                long t = T0 + k * 1_200_000L / events - random.nextInt(400_000);
                var slot = in.slot(i).type("type-" + random.nextInt(5));
                if (random.nextInt(50) != 0) {
                    slot.source("src-" + random.nextInt(40));
                }
                slot.timestamp(t).id("e" + seed + "-" + k);
                double v = random.nextInt(20) == 0 ? -1 : random.nextInt(10_000) / 7.0;
                slot.data().startObject().name("value").number(v).name("tag").string("t" + k % 3).endObject();
            }
            in.publish();
            r.await();
            sent += n;
        }
        return sent;
    }

    /** What a processor showed before it closed. */
    private record Shown(StatsSnapshot stats, List<WindowResult> windows) {
        static Shown by(StreamProcessor p) {
            return new Shown(p.stats(), p.aggregations());
        }
    }

    /** Runs a processor on {@code journal}, ingests the mix, and returns what it showed before closing. */
    private Shown runAndClose(JournalSettings journal, long seed, int events) throws InterruptedException {
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            ingestMix(p, seed, events);
            return Shown.by(p);
        }
    }

    private static void assertSameState(Shown before, StreamProcessor after) {
        assertSameState(before.stats(), before.windows(), after);
    }

    private static void assertSameState(StatsSnapshot before, List<WindowResult> windowsBefore, StreamProcessor after) {
        StatsSnapshot s = after.stats();
        assertEquals(before.totalReceived(), s.totalReceived(), "received");
        assertEquals(before.totalProcessed(), s.totalProcessed(), "processed");
        assertEquals(before.totalFiltered(), s.totalFiltered(), "filtered");
        assertEquals(before.totalRejected(), s.totalRejected(), "rejected");
        assertEquals(before.totalLate(), s.totalLate(), "late");
        assertEquals(before.metrics(), s.metrics(), "metrics");
        assertEquals(before.lastProcessedAt(), s.lastProcessedAt(), "lastProcessedAt");
        assertEquals(windowsBefore, after.aggregations(), "windows");
    }

    @ParameterizedTest
    @EnumSource(Topology.class)
    void aRestartedProcessorHasTheSameWindowsAndTotalsAndEventsContinue(Topology topology) throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        StatsSnapshot stats;
        List<WindowResult> windows;
        try (StreamProcessor p = builder(topology, journal).build().start()) {
            ingestMix(p, 1, 5_000);
            stats = p.stats();
            windows = p.aggregations();
            assertTrue(stats.totalLate() > 0 && stats.totalFiltered() > 0 && stats.totalRejected() > 0, stats.toString());
        }
        try (StreamProcessor p = builder(topology, journal).build().start()) {
            assertSameState(stats, windows, p);
            ingestMix(p, 2, 1_000);
            stats = p.stats();
            windows = p.aggregations();
            assertEquals(6_000, stats.totalReceived());
        }
        // A third start replays two runs' records, the second run's segment opened by a state record.
        try (StreamProcessor p = builder(topology, journal).build().start()) {
            assertSameState(stats, windows, p);
        }
        assertTrue(notices.stream().anyMatch(n -> n.startsWith("journal: replayed")), notices.toString());
    }

    /** A segment of several MiB is read in 1 MiB chunks: records that straddle a chunk's end must come back whole. */
    @Test
    void aSegmentLargerThanOneReadComesBackWholeAndATornTailAfterItIsStillCut() throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        Shown before = runAndClose(journal, 11, 40_000);
        Path last = segments().get(segments().size() - 1);
        assertTrue(Files.size(last) > 3 << 20, "one segment of several MiB: " + Files.size(last));
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.seek(f.length());
            f.write(new byte[] {(byte) 90, 0, 0, 0, 7, 7, 7, 7, 1});
        }
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            assertSameState(before, p);
        }
        assertTrue(notices.stream().anyMatch(n -> n.contains("cut a torn record")), notices.toString());
    }

    @Test
    void theSameEventsWithoutAJournalGiveTheSameWindows() throws Exception {
        List<WindowResult> journaled;
        try (StreamProcessor p = builder(Topology.SINGLE, JournalSettings.in(dir)).build().start()) {
            ingestMix(p, 3, 3_000);
        }
        try (StreamProcessor p = builder(Topology.SINGLE, JournalSettings.in(dir)).build().start()) {
            journaled = p.aggregations();
        }
        try (StreamProcessor p = builder(Topology.SINGLE, null).build().start()) {
            ingestMix(p, 3, 3_000);
            assertEquals(p.aggregations(), journaled);
        }
    }

    /** A sink that keeps everything it is handed and delivers none of it until told to. */
    static final class HoldingSink implements Sink {
        final List<String> ids = new ArrayList<>();
        private volatile long oldest = Long.MAX_VALUE;

        @Override
        public String name() {
            return "held";
        }

        @Override
        public void onEvent(EventView event) {
            synchronized (ids) {
                if (oldest == Long.MAX_VALUE) {
                    oldest = event.position();
                }
                ids.add(event.id());
            }
        }

        @Override
        public long oldestUndelivered() {
            return oldest;
        }

        List<String> ids() {
            synchronized (ids) {
                return List.copyOf(ids);
            }
        }
    }

    @Test
    void aSinkGetsAgainWhatItHadNotDeliveredAndNothingItHad() throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        List<String> firstIds;
        try (StreamProcessor p = builder(Topology.SINGLE, journal).addSink(new Sink() {
            @Override
            public String name() {
                return "held";
            }

            @Override
            public void onEvent(EventView event) {
                // delivered on return
            }
        }).build().start()) {
            ingestMix(p, 4, 500);
        }
        // Second run: the sink delivers nothing; every event it gets stays undelivered.
        HoldingSink holding = new HoldingSink();
        try (StreamProcessor p = builder(Topology.SINGLE, journal).addSink(holding).build().start()) {
            assertEquals(List.of(), holding.ids(), "the first run delivered everything: nothing to hand again");
            ingestMix(p, 5, 300);
            firstIds = holding.ids();
        }
        assertFalse(firstIds.isEmpty());
        // Third run: the same sink name gets exactly the held events again, in order.
        HoldingSink again = new HoldingSink();
        try (StreamProcessor p = builder(Topology.SINGLE, journal).addSink(again).build().start()) {
            assertEquals(firstIds, again.ids());
        }
    }

    @Test
    void aSinkTheJournalHasNotSeenStartsWithNewEvents() throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            ingestMix(p, 6, 200);
        }
        Events.CollectingSink fresh = new Events.CollectingSink();
        try (StreamProcessor p = builder(Topology.SINGLE, journal).addSink(fresh).build().start()) {
            assertEquals(List.of(), fresh.snapshot());
            Events.ingest(p.newIngestor(), "metric", "web", T0, 1.0).await();
            assertEquals(1, fresh.snapshot().size());
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".journal")).sorted().toList();
        }
    }

    @Test
    void aTornLastRecordIsCutWithANoticeAndEverythingBeforeItStays() throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        Shown before = runAndClose(journal, 7, 2_000);
        Path last = segments().get(segments().size() - 1);
        long size = Files.size(last);
        // A record the crash interrupted: a length promising more bytes than were written.
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.seek(size);
            f.write(new byte[] {(byte) 200, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9, 9});
        }
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            assertSameState(before, p);
        }
        assertEquals(size, Files.size(last), "the torn record is cut");
        assertTrue(notices.stream().anyMatch(n -> n.contains("cut a torn record")), notices.toString());
    }

    @Test
    void damageBeforeTheLastRecordStopsStartUpUntilToldToTruncate() throws Exception {
        JournalSettings journal = JournalSettings.in(dir).withSegmentBytes(1 << 20);
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            ingestMix(p, 8, 12_000);
        }
        List<Path> files = segments();
        assertTrue(files.size() >= 2, "several segments: " + files);
        Path damaged = files.get(0);
        long before = Files.size(damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            long at = before / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5A);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> builder(Topology.SINGLE, journal).build().start());
        assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("--journal.on-corruption truncate"),
            e.getMessage());
        assertEquals(files, segments(), "nothing changed");
        assertEquals(before, Files.size(damaged));

        long received;
        try (StreamProcessor p = builder(Topology.SINGLE, journal.withOnCorruption(JournalSettings.OnCorruption.TRUNCATE))
            .build().start()) {
            received = p.stats().totalReceived();
            assertTrue(received > 0 && received < 12_000, "the events before the damage: " + received);
        }
        assertTrue(Files.exists(damaged.resolveSibling(damaged.getFileName() + ".damaged")));
        assertTrue(notices.stream().anyMatch(n -> n.contains("moved the rest aside")), notices.toString());
        // The repaired journal opens without being told anything.
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            assertEquals(received, p.stats().totalReceived());
        }
    }

    @Test
    void segmentsNoWindowAndNoSinkNeedsAreDeletedAndARestartStillHasEverything() throws Exception {
        JournalSettings journal = JournalSettings.in(dir).withSegmentBytes(1 << 20);
        ProcessorSettings.Builder b = builder(Topology.SINGLE, journal)
            .window(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .retention(Duration.ofSeconds(1));
        HoldingSink holding = new HoldingSink();
        StatsSnapshot stats;
        List<WindowResult> windows;
        try (StreamProcessor p = b.addSink(holding).build().start()) {
            Ingestor in = p.newIngestor();
            // 300 s of event time, in order, over about five segments.
            for (int k = 0; k < 40_000; k += 500) {
                Events.Request r = new Events.Request();
                assertTrue(in.claim(500, r), in.refusal());
                for (int i = 0; i < 500; i++) {
                    write(in.slot(i), "t" + (k + i) % 3, "s" + (k + i) % 7, T0 + (k + i) * 7L, (double) k + i).id("r" + (k + i));
                }
                in.publish();
                r.await();
            }
            p.stats(); // everything through the stages
            int before = segments().size();
            assertTrue(before >= 4, "segments: " + before);
            p.journal().housekeepNow();
            assertEquals(before, segments().size(), "a sink holding the first event keeps every segment");
            stats = p.stats();
            windows = p.aggregations();
        }
        // The same name, now delivering: it gets the held events again, then nothing holds the segments.
        int kept;
        try (StreamProcessor p = builder(Topology.SINGLE, journal).window(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .retention(Duration.ofSeconds(1)).addSink(new Sink() {
                @Override
                public String name() {
                    return "held";
                }

                @Override
                public void onEvent(EventView event) {
                }
            }).build().start()) {
            int before = segments().size();
            p.journal().housekeepNow();
            kept = segments().size();
            assertTrue(kept < before && kept <= 2, "only the segments with the last seconds of event time stay: " + kept + " of " + before);
            assertSameState(stats, windows, p);
        }
        // Totals continue from the oldest segment kept; the windows come from the events in it.
        try (StreamProcessor p = builder(Topology.SINGLE, journal).window(Duration.ofSeconds(1), Duration.ofSeconds(1))
            .retention(Duration.ofSeconds(1)).build().start()) {
            assertSameState(stats, windows, p);
        }
    }

    @Test
    void aFullDiskHoldsAcknowledgementsAndRefusesEventsWithAReasonUntilThereIsRoom() throws Exception {
        JournalSettings journal = JournalSettings.in(dir);
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            Ingestor in = p.newIngestor();
            Events.ingest(in, "metric", "web", T0, 1.0).await();
            p.journal().injectWriteFailure(new IOException("No space left on device"));
            Events.Request waiting = Events.ingest(in, "metric", "web", T0, 2.0);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (p.journal().refusal() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals("no space left for the journal, retry later", p.journal().refusal());
            assertFalse(waiting.isDone(), "not acknowledged before it is written");
            assertFalse(in.claim(1, new Events.Request()));
            assertEquals("no space left for the journal, retry later", in.refusal());
            StreamProcessor.Health h = p.health();
            assertEquals(StreamProcessor.Health.Status.UNHEALTHY, h.status());
            assertTrue(h.reason().contains("no space left for the journal"), h.reason());

            p.journal().injectWriteFailure(null);
            assertEquals(1, waiting.await().processed());
            assertEquals(StreamProcessor.Health.Status.HEALTHY, p.health().status());
            Events.ingest(in, "metric", "web", T0, 3.0).await();
        }
        try (StreamProcessor p = builder(Topology.SINGLE, journal).build().start()) {
            assertEquals(3, p.stats().totalProcessed());
        }
        assertTrue(notices.stream().anyMatch(n -> n.contains("No space left on device")), notices.toString());
        assertTrue(notices.stream().anyMatch(n -> n.contains("writing again")), notices.toString());
    }
}
