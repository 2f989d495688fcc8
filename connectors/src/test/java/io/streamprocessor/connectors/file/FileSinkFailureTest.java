package io.streamprocessor.connectors.file;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.streamprocessor.connectors.file.Traffic.await;
import static io.streamprocessor.connectors.file.Traffic.events;
import static io.streamprocessor.connectors.file.Traffic.lines;
import static io.streamprocessor.connectors.file.Traffic.range;
import static io.streamprocessor.connectors.file.Traffic.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file sink when the file cannot be written: its directory unwritable at start or mid-stream,
 * a disk that fills in the middle of a batch, the file moved away, a shutdown that cannot deliver.
 * The tests run as root, whom permissions do not stop, so "unwritable" is the directory replaced
 * by a regular file of the same name, as it would be by a mistaken deployment.
 */
class FileSinkFailureTest {
    @TempDir
    Path dir;

    private static BufferSettings.Builder fast() {
        return FileSink.bufferDefaults().retry(Duration.ofMillis(5), Duration.ofMillis(40)).drainTimeout(Duration.ofSeconds(5));
    }

    /**
     * Makes {@code out} a symbolic link to a regular file, so nothing can be created under it,
     * keeping the directory aside (root ignores permissions, so they cannot break it); returns
     * where the directory went.
     */
    private Path breakDirectory(Path out) throws IOException {
        Path away = out.resolveSibling(out.getFileName() + ".away");
        if (Files.exists(out)) {
            Files.move(out, away);
        } else {
            Files.createDirectory(away);
        }
        Path notADirectory = Files.writeString(out.resolveSibling("not-a-directory"), "not a directory");
        Files.createSymbolicLink(out, notADirectory);
        return away;
    }

    /**
     * Points {@code out} at the directory again in one rename, so the sink, retrying meanwhile,
     * never finds the path missing and creates a directory of its own there.
     */
    private static void restoreDirectory(Path out, Path away) throws IOException {
        Path link = Files.createSymbolicLink(out.resolveSibling(out.getFileName() + ".link"), away);
        Files.move(link, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anUnwritableDirectoryAtStartIsRetriedUntilItIsBackAndNothingAcknowledgedIsLost() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        Path away = breakDirectory(out);
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), fast().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(range(0, 20), send(p, 0, 20));
            await("the sink fails", () -> sink.status().failed() >= 2);
            SinkStatus down = sink.status();
            assertTrue(down.failing());
            assertEquals(20, down.buffered());
            assertEquals("cannot create the directory of file " + file + ": " + out + " exists and is not a directory",
                down.lastError());
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());

            restoreDirectory(out, away);
            await("the backlog is written", () -> sink.status().written() == 20);
            assertFalse(sink.status().failing());
            send(p, 20, 25);
        }
        assertEquals(range(0, 25), events(lines(file)));
        assertEquals(0, sink.status().dropped());
    }

    @Test
    void aDirectoryThatBreaksMidStreamStopsTheWritesAndTheyResumeWhereTheyStoppedOnceItIsBack() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), fast().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 10);
            await("written", () -> sink.status().written() == 10);
            Path away = breakDirectory(out);
            assertEquals(range(10, 30), send(p, 10, 30), "acknowledged while the directory is broken: the buffer holds them");
            await("the sink fails", () -> sink.status().failing());
            assertEquals(range(0, 10), events(lines(away.resolve("events.ndjson"))),
                "nothing went on into the file once it was no longer at its path");

            restoreDirectory(out, away);
            await("the backlog is written", () -> sink.status().written() == 30);
        }
        assertEquals(range(0, 30), events(lines(file)), "every acknowledged event once, whole, in order");
    }

    @Test
    void underBackpressureAFullBufferRefusesRequestsAndEveryAcknowledgedEventEndsInTheFile() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), fast().bufferEvents(64).build());
        try (StreamProcessor p = StreamProcessor.builder().ringSize(16).addSink(sink).build().start()) {
            List<Integer> first = send(p, 0, 10);
            await("written", () -> sink.status().written() == 10);
            Path away = breakDirectory(out);
            List<Integer> during = send(p, 10, 200, 4);
            assertTrue(during.size() < 190, "requests refused once the buffer was full: " + during.size() + " taken");
            assertTrue(p.newIngestor().claim(1, null) == false, "still refused while the file cannot be written");
            restoreDirectory(out, away);
            await("the backlog is written", () -> sink.status().buffered() == 0);
            List<Integer> after = send(p, 1_000, 1_010);
            assertEquals(range(1_000, 1_010), after, "taken again once drained");

            List<Integer> acknowledged = new java.util.ArrayList<>(first);
            acknowledged.addAll(during);
            acknowledged.addAll(after);
            p.close();
            assertEquals(acknowledged, events(lines(file)));
            assertEquals(0, sink.status().dropped());
        }
    }

    @Test
    void underDropTheDroppedCountIsExactlyWhatIsMissingFromTheFile() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        Path away = breakDirectory(out);
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file),
            fast().overflow(Overflow.DROP).bufferEvents(16).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(range(0, 100), send(p, 0, 100), "drop never refuses a request");
            assertTrue(sink.status().dropped() > 0);
            restoreDirectory(out, away);
            send(p, 100, 110);
        }
        List<Integer> written = events(lines(file));
        assertEquals(written.size(), new HashSet<>(written).size(), "no event twice");
        assertEquals(written.stream().sorted().toList(), written, "in order");
        assertEquals(110 - written.size(), sink.status().dropped(), "every missing event counted as dropped");
        assertEquals(sink.status().written(), written.size());
    }

    @Test
    void aDiskThatFillsMidBatchLeavesNoTornOrRepeatedLineOnceThereIsSpaceAgain() throws Exception {
        Path file = dir.resolve("events.ndjson");
        FillingDisk disk = new FillingDisk(700); // five lines and a part
        BufferedSink sink = new BufferedSink("file",
            new NdjsonFileWriter("file", FileSinkSettings.of(file), Clock.systemUTC(), disk), fast().flushEvents(4).build());
        String said;
        try (Stderr err = new Stderr()) {
            try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
                send(p, 0, 16, 4);
                await("the disk is full", () -> sink.status().failing() && size(file) == 700);
                assertTrue(sink.status().lastError().startsWith("cannot write to file " + file + ": No space left on device"),
                    sink.status().lastError());
                disk.capacity = Long.MAX_VALUE;
                await("everything written", () -> sink.status().written() == 16);
            }
            said = err.text();
        }
        assertEquals(range(0, 16), events(lines(file)));
        assertTrue(said.matches("(?s).*sink file: removed \\d+ bytes of a batch that failed part-way from .*"), said);
    }

    @Test
    void anActiveFileOrDirectoryMovedAwayUnderTheSinkIsFollowedByANewOneNotByLostEvents() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), fast().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 5);
            await("written", () -> sink.status().written() == 5);
            Files.move(file, out.resolve("events.ndjson.1"));
            send(p, 5, 10);
            await("written", () -> sink.status().written() == 10);
            Files.move(out, dir.resolve("old"));
            send(p, 10, 12);
        }
        assertEquals(range(0, 5), events(lines(dir.resolve("old/events.ndjson.1"))));
        assertEquals(range(5, 10), events(lines(dir.resolve("old/events.ndjson"))));
        assertEquals(range(10, 12), events(lines(file)));
    }

    @Test
    void shutdownWithTheDirectoryGoneEndsWithinTheDrainTimeoutAndSaysWhatItCouldNotDeliver() throws Exception {
        Path out = dir.resolve("out");
        Path file = out.resolve("events.ndjson");
        breakDirectory(out);
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file), fast().drainTimeout(Duration.ofMillis(300)).build());
        String said;
        long tookMillis;
        try (Stderr err = new Stderr()) {
            StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start();
            send(p, 0, 20);
            long start = System.nanoTime();
            p.close();
            tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            said = err.text();
        }
        assertTrue(tookMillis < 3_000, "close took " + tookMillis + " ms with a drain timeout of 300 ms");
        assertEquals(20, sink.status().dropped());
        assertEquals(0, sink.status().buffered());
        assertTrue(said.contains("sink file: 20 events not delivered to file " + file + " at shutdown ("
            + "cannot create the directory of file " + file + ": " + out + " exists and is not a directory)"), said);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
