package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database down at start, stopped mid-stream, and back on the same data directory and port:
 * under back-pressure every acknowledged event is in the table afterwards, exactly once; under
 * drop the dropped counter is exactly what is missing; shutdown with the database down ends in time.
 */
class PostgresOutageTest {
    private static final String TABLE = "events";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final TestPostgres pg = TestPostgres.notStarted();

    @AfterEach
    void stopDatabase() {
        pg.close();
    }

    private BufferedSink sink(BufferSettings.Builder buffer) {
        return sink(pg.url(), buffer);
    }

    private static BufferedSink sink(String url, BufferSettings.Builder buffer) {
        PostgresSinkSettings s = PostgresSinkSettings.builder(url).user(TestPostgres.USER)
            .connectTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(5)).build();
        return new BufferedSink("pg", new PostgresWriter(s, name -> null),
            buffer.retry(Duration.ofMillis(20), Duration.ofMillis(200)).build());
    }

    /** The ids in the table, each once; fails on a duplicate. */
    private Set<String> idsOnce() {
        List<Map<String, Object>> rows = pg.query("SELECT id FROM " + TABLE);
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> r : rows) {
            assertTrue(ids.add((String) r.get("id")), "event " + r.get("id") + " stored twice");
        }
        return ids;
    }

    private static Set<String> ids(List<Integer> indexes) {
        Set<String> ids = new HashSet<>();
        indexes.forEach(i -> ids.add("e" + i));
        return ids;
    }

    @Test
    void downAtStartThenUpDeliversEverythingHeld() {
        BufferedSink sink = sink(BufferSettings.builder());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            List<Integer> acked = Feed.send(p, 0, 50, Feed::plain);
            assertEquals(50, acked.size());
            Feed.await("the sink reports the database down", WITHIN, () -> sink.status().failing());
            SinkStatus down = sink.status();
            assertEquals("postgres at localhost:" + pg.port() + " unreachable", down.lastError());
            assertEquals(50, down.buffered());
            assertEquals(0, down.written());
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());
            assertEquals("sink pg failing: postgres at localhost:" + pg.port() + " unreachable", p.health().reason());

            pg.startServer();
            Feed.await("all delivered after the database started", WITHIN, () -> sink.status().written() == 50);
            assertEquals(ids(acked), idsOnce());
            assertFalse(sink.status().failing());
        }
    }

    @Test
    void stoppedMidStreamAndRestartedLosesNoAcknowledgedEventUnderBackpressure() {
        pg.startServer();
        BufferedSink sink = sink(BufferSettings.builder().bufferEvents(64).flushEvents(16));
        List<Integer> acked = new ArrayList<>();
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            acked.addAll(Feed.send(p, 0, 100, Feed::plain));
            int before = acked.size();
            Feed.await("what was taken stored", WITHIN, () -> sink.status().written() == before, sink::status);

            pg.stopServer();
            acked.addAll(Feed.send(p, 100, 300, Feed::plain));
            assertTrue(acked.size() - before <= 64, "a full buffer refuses requests: " + acked.size() + " of 300 taken");
            // The sink's own thread finds the outage on its next write, which may still be under way.
            Feed.await("the outage reported", WITHIN, () -> sink.status().failing(), sink::status);
            assertEquals(acked.size() - before, sink.status().buffered());

            pg.startServer();
            Feed.await("everything acknowledged stored", WITHIN, () -> sink.status().written() == acked.size(), sink::status);
            acked.addAll(Feed.send(p, 300, 320, Feed::plain));
        }
        assertEquals(ids(acked), idsOnce());
        assertEquals(0, sink.status().dropped());
    }

    @Test
    void aBatchWhoseCommitAnswerWasLostIsNotStoredTwice() {
        pg.startServer();
        try (CuttingProxy proxy = new CuttingProxy(pg.port())) {
            // prepareThreshold=0: the driver names no statements, so every COMMIT is sent as text the proxy can spot
            BufferedSink sink = sink("jdbc:postgresql://localhost:" + proxy.port() + "/postgres?prepareThreshold=0",
                BufferSettings.builder());
            try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
                Feed.send(p, 0, 20, Feed::plain);
                Feed.await("the first twenty stored", WITHIN, () -> sink.status().written() == 20);

                proxy.armCutAfterNextCommit();
                Feed.send(p, 20, 50, Feed::plain);
                Feed.await("a commit's answer was cut off", WITHIN, () -> proxy.cuts() == 1, sink::status);
                Feed.await("everything written", WITHIN, () -> sink.status().written() == 50, sink::status);
                assertTrue(sink.status().failed() >= 1, "the lost answer counted as a failed attempt");
                assertEquals("postgres at localhost:" + proxy.port() + ": connection lost", sink.status().lastError());
            }
        }
        assertEquals(50, idsOnce().size());
    }

    @Test
    void underDropTheDroppedCounterIsExactlyWhatIsMissing() {
        pg.startServer();
        BufferedSink sink = sink(BufferSettings.builder().bufferEvents(32).flushEvents(8).overflow(Overflow.DROP));
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(40, Feed.send(p, 0, 40, Feed::plain).size());
            Feed.await("the first forty stored or dropped", WITHIN, () -> sink.status().buffered() == 0, sink::status);

            pg.stopServer();
            assertEquals(160, Feed.send(p, 40, 200, Feed::plain).size(), "drop never refuses a request");
            Feed.await("the sink fails", WITHIN, () -> sink.status().failing());

            pg.startServer();
            Feed.await("the buffer drained", WITHIN, () -> sink.status().buffered() == 0);
        }
        SinkStatus s = sink.status();
        Set<String> stored = idsOnce();
        assertTrue(s.dropped() > 0, "the outage overflowed the buffer");
        assertEquals(200 - stored.size(), s.dropped());
        assertEquals(stored.size(), s.written());
    }

    @Test
    void shutdownWithTheDatabaseDownEndsWithinTheDrainTimeoutAndCountsWhatItCouldNotDeliver() {
        pg.startServer();
        Duration drain = Duration.ofSeconds(1);
        BufferedSink sink = sink(BufferSettings.builder().drainTimeout(drain));
        StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start();
        Feed.send(p, 0, 10, Feed::plain);
        Feed.await("the first ten stored", WITHIN, () -> sink.status().written() == 10);
        pg.stopServer();
        Feed.send(p, 10, 30, Feed::plain);

        long start = System.nanoTime();
        p.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(drain.plusSeconds(3)) < 0, "shutdown took " + took);
        SinkStatus s = sink.status();
        assertEquals(10, s.written());
        assertEquals(20, s.dropped(), "the undelivered events are counted");
        assertEquals(0, s.buffered());
        pg.startServer();
        assertEquals(10, pg.count(TABLE));
    }
}
