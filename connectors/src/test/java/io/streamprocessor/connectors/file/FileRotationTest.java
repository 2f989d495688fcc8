package io.streamprocessor.connectors.file;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.streamprocessor.connectors.file.Traffic.await;
import static io.streamprocessor.connectors.file.Traffic.events;
import static io.streamprocessor.connectors.file.Traffic.lines;
import static io.streamprocessor.connectors.file.Traffic.range;
import static io.streamprocessor.connectors.file.Traffic.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotation by size and by time into sortable names, and gzip of rotated files, crash leftovers included. */
class FileRotationTest {
    private static final String ROTATED = "events-\\d{8}T\\d{6}Z(_\\d{3})?\\.ndjson";

    @TempDir
    Path dir;

    private static BufferSettings.Builder buffer() {
        return FileSink.bufferDefaults().flushEvents(3).flushInterval(Duration.ZERO);
    }

    @Test
    void bySizeNoFileOutgrowsTheLimitAndTheNamesSortInTheOrderOfTheirLines() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.builder(file).rotateSize(1_000).build(), buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 60);
        }
        List<Path> rotated = files(ROTATED);
        assertTrue(rotated.size() >= 5, "60 lines of ~130 bytes in files of at most 1,000 bytes: " + rotated);
        List<String> all = new ArrayList<>();
        for (Path r : rotated) {
            assertTrue(Files.size(r) <= 1_000, r + " is " + Files.size(r) + " bytes");
            all.addAll(lines(r));
        }
        all.addAll(lines(file));
        assertEquals(range(0, 60), events(all), "every event once, in order, reading the files in name order");
    }

    @Test
    void byTimeTheFileIsRotatedAtTheFirstWriteOnceTheIntervalHasPassedAndNamedByThatTime() throws Exception {
        Path file = dir.resolve("events.ndjson");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T03:00:00Z"));
        FileSinkSettings settings = FileSinkSettings.builder(file).rotateInterval(Duration.ofHours(1)).build();
        BufferedSink sink = new BufferedSink("file", new NdjsonFileWriter("file", settings, clock, NdjsonFileWriter.DEFAULT_OPENER),
            buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 3);
            await("written", () -> sink.status().written() == 3);
            clock.advance(Duration.ofMinutes(59));
            send(p, 3, 5);
            await("written", () -> sink.status().written() == 5);
            assertEquals(List.of(), files(ROTATED), "not rotated before the hour");
            clock.advance(Duration.ofMinutes(1));
            send(p, 5, 7);
        }
        assertEquals(List.of(dir.resolve("events-20261202T040000Z.ndjson")), files(ROTATED));
        assertEquals(range(0, 5), events(lines(dir.resolve("events-20261202T040000Z.ndjson"))));
        assertEquals(range(5, 7), events(lines(file)));
    }

    @Test
    void aZeroIntervalAndAZeroSizeNeverRotate() throws Exception {
        Path file = dir.resolve("events.ndjson");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T03:00:00Z"));
        FileSinkSettings settings = FileSinkSettings.builder(file).rotateInterval(Duration.ZERO).rotateSize(0).build();
        BufferedSink sink = new BufferedSink("file", new NdjsonFileWriter("file", settings, clock, NdjsonFileWriter.DEFAULT_OPENER),
            buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 30);
            await("written", () -> sink.status().written() == 30);
            clock.advance(Duration.ofDays(3));
            send(p, 30, 40);
        }
        assertEquals(List.of(), files(ROTATED));
        assertEquals(range(0, 40), events(lines(file)));
    }

    @Test
    void withGzipRotatedFilesAreCompressedAndThePlainOnesRemoved() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.builder(file).rotateSize(1_000).gzip(true).build(),
            buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 60);
        }
        await("every rotated file compressed", () -> files(ROTATED).isEmpty() && files(".*\\.tmp").isEmpty());
        List<Path> gz = files(ROTATED + "\\.gz");
        assertTrue(gz.size() >= 5, gz.toString());
        assertEquals(range(0, 60), events(readAll(gz, file)));
    }

    @Test
    void withFsyncEveryWriteAndRotationStillDeliversEveryEventOnce() throws Exception {
        Path file = dir.resolve("events.ndjson");
        BufferedSink sink = FileSink.create("file", FileSinkSettings.builder(file).rotateSize(1_000).gzip(true).fsync(true).build(),
            buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            send(p, 0, 30);
        }
        await("every rotated file compressed", () -> files(ROTATED).isEmpty() && files(".*\\.tmp").isEmpty());
        assertEquals(range(0, 30), events(readAll(files(ROTATED + "\\.gz"), file)));
    }

    @Test
    void compressionInterruptedByACrashIsFinishedAtTheNextStartWithoutLosingOrRepeatingALine() throws Exception {
        Path file = dir.resolve("events.ndjson");
        try (StreamProcessor p = StreamProcessor.builder()
            .addSink(FileSink.create("file", FileSinkSettings.builder(file).rotateSize(1_000).build(), buffer().build()))
            .build().start()) {
            send(p, 0, 40);
        }
        List<Path> plain = files(ROTATED);
        assertTrue(plain.size() >= 3, plain.toString());
        // a crash while compressing the first: half a .gz.tmp
        Files.write(sibling(plain.get(0), ".gz.tmp"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        // a crash after compressing the second completely, before its plain file was removed
        try (InputStream in = Files.newInputStream(plain.get(1));
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(sibling(plain.get(1), ".gz")))) {
            in.transferTo(out);
        }

        try (StreamProcessor p = StreamProcessor.builder()
            .addSink(FileSink.create("file", FileSinkSettings.builder(file).rotateSize(1_000).gzip(true).build(), buffer().build()))
            .build().start()) {
            send(p, 40, 50);
        }
        await("every rotated file compressed", () -> files(ROTATED).isEmpty() && files(".*\\.tmp").isEmpty());
        assertEquals(range(0, 50), events(readAll(files(ROTATED + "\\.gz"), file)));
    }

    /** The lines of the compressed files in name order, then of the active file. */
    private static List<String> readAll(List<Path> gz, Path active) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path g : gz) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(g))) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.endsWith("\n"), g + " ends in a whole line");
                all.addAll(List.of(text.substring(0, text.length() - 1).split("\n")));
            }
        }
        all.addAll(lines(active));
        return all;
    }

    /** The files of the directory whose names match, sorted by name. */
    private List<Path> files(String regex) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(regex)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path sibling(Path p, String suffix) {
        return p.resolveSibling(p.getFileName() + suffix);
    }
}
