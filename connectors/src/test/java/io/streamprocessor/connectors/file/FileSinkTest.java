package io.streamprocessor.connectors.file;

import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.streamprocessor.connectors.file.Traffic.await;
import static io.streamprocessor.connectors.file.Traffic.events;
import static io.streamprocessor.connectors.file.Traffic.lines;
import static io.streamprocessor.connectors.file.Traffic.range;
import static io.streamprocessor.connectors.file.Traffic.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file sink writing NDJSON: whole lines, in order, flushed by count, by time and at shutdown; a torn tail cut at open. */
class FileSinkTest {
    @TempDir
    Path dir;

    @Test
    void everyEventIsOneWholeLineInOrderAndTheDirectoryIsCreated() throws Exception {
        Path file = dir.resolve("out/nested/events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file));
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 50);
            send(p, 50, 250, 40);
        }
        assertEquals(range(0, 250), events(lines(file)));
        SinkStatus s = sink.status();
        assertEquals(250, s.written());
        assertEquals(0, s.buffered());
        assertEquals(0, s.dropped());
        assertEquals(0, s.failed());
        assertEquals("file " + file, sink.target());
    }

    @Test
    void aLoneEventReachesTheFileWithinTheFlushIntervalWhileTheServerRuns() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file),
            FileSink.bufferDefaults().flushInterval(Duration.ofMillis(50)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 1);
            await("the event is in the file", () -> fileHas(file, 1));
            assertEquals(List.of(0), events(lines(file)));
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheFlushInterval() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.of(file),
            FileSink.bufferDefaults().flushEvents(5).flushInterval(Duration.ofHours(1)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 5);
            await("five events, a full batch, are in the file well before the hour", () -> fileHas(file, 5));
            send(p, 5, 8);
        }
        assertEquals(range(0, 8), events(lines(file)), "shutdown flushes the part batch");
    }

    @Test
    void aTornLastLineLeftByACrashIsCutAtOpenAndSaidOnStandardError() throws Exception {
        Path file = dir.resolve("events.ndjson");
        List<String> before = new ArrayList<>();
        BufferedSink first = FileSink.create("file", FileSinkSettings.of(file));
        try (StreamProcessor p = StreamProcessor.builder().addSink(first).build().start()) {
            send(p, 0, 3);
        }
        before.addAll(lines(file));
        String torn = "{\"id\":\"e3\",\"type\":\"met";
        Files.writeString(file, torn, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        String said;
        try (Stderr err = new Stderr()) {
            try (StreamProcessor p = StreamProcessor.builder().addSink(FileSink.create("file", FileSinkSettings.of(file)))
                .build().start()) {
                send(p, 3, 6);
            }
            said = err.text();
        }
        assertEquals(range(0, 6), events(lines(file)));
        assertEquals(before, lines(file).subList(0, 3), "the whole lines before the tear are kept as they were");
        assertTrue(said.contains(" WARN stream-processor: sink file: cut a torn last line of " + torn.length() + " bytes from "
            + file + " (an earlier write was interrupted)\n"), "one warning, with its level: " + said);
        assertEquals(1, said.lines().filter(l -> l.contains("torn")).count(), "said in one line: " + said);
    }

    @Test
    void aFileWithNoWholeLineAtAllIsCutToNothing() throws Exception {
        Path file = dir.resolve("events.ndjson");
        Files.writeString(file, "{\"id\":\"e0\",\"ty");
        try (Stderr err = new Stderr();
             StreamProcessor p = StreamProcessor.builder().addSink(FileSink.create("file", FileSinkSettings.of(file)))
                 .build().start()) {
            send(p, 0, 2);
            p.close();
            assertTrue(err.text().contains("cut a torn last line of 14 bytes"), err.text());
        }
        assertEquals(range(0, 2), events(lines(file)));
    }

    @Test
    void aFileEndingInAWholeLineIsAppendedToAsItIs() throws Exception {
        Path file = dir.resolve("events.ndjson");
        String earlier = "{\"note\":\"written by someone before, kept\"}\n";
        Files.writeString(file, earlier);
        try (StreamProcessor p = StreamProcessor.builder().addSink(FileSink.create("file", FileSinkSettings.of(file)))
            .build().start()) {
            send(p, 0, 2);
        }
        List<String> all = lines(file);
        assertEquals(earlier.trim(), all.get(0));
        assertEquals(range(0, 2), events(all.subList(1, all.size())));
    }

    @Test
    void twoSinksOnOneFileAreRefusedRatherThanInterleaved() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink a = FileSink.create("a", FileSinkSettings.of(file));
        BufferedSink b = FileSink.create("b", FileSinkSettings.of(file),
            FileSink.bufferDefaults().retry(Duration.ofMillis(5), Duration.ofMillis(20)).drainTimeout(Duration.ofMillis(200)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(a).build().start()) {
            send(p, 0, 1);
            await("a holds the file", () -> a.status().written() == 1);
            try (StreamProcessor q = StreamProcessor.builder().addSink(b).build().start()) {
                send(q, 100, 101);
                await("b fails", () -> b.status().failing());
                assertEquals("file " + file + " is being written by another sink or process; each file sink needs a file of its own",
                    b.status().lastError());
            }
        }
        assertEquals(List.of(0), events(lines(file)));
        assertEquals(1, b.status().dropped(), "b's event could not be delivered and is counted");
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheSetting() {
        Exception gz = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FileSinkSettings.of(Path.of("out/events.ndjson.gz")));
        assertTrue(gz.getMessage().startsWith("path: out/events.ndjson.gz ends in .gz"), gz.getMessage());
        Exception size = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> FileSinkSettings.builder(Path.of("e.ndjson")).rotateSize(-1).build());
        assertTrue(size.getMessage().startsWith("rotate-size"), size.getMessage());
    }

    /** Whether the file holds this many newlines (read while the sink may be writing, so no more is asserted). */
    static boolean fileHas(Path file, int lines) {
        try {
            byte[] b = Files.readAllBytes(file);
            int n = 0;
            for (byte c : b) {
                n += c == '\n' ? 1 : 0;
            }
            return n == lines;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
