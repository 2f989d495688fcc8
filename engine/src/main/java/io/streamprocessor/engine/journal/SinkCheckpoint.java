package io.streamprocessor.engine.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sinks.checkpoint} in the journal's directory: one line per sink, its name, a tab and the
 * position through which it had delivered every event. Replaced whole and atomically (written aside,
 * then renamed), so a crash leaves the old file or the new one. Writes are serialized by this object.
 */
final class SinkCheckpoint {
    private static final String NAME = "sinks.checkpoint";

    private final Path file;
    private final Path aside;
    /** What the file holds, so an unchanged checkpoint is not written again. */
    private String written;

    SinkCheckpoint(Path dir) {
        this.file = dir.resolve(NAME);
        this.aside = dir.resolve(NAME + ".tmp");
    }

    /** The positions by sink name; empty when there is no checkpoint yet. */
    Map<String, Long> read() throws IOException {
        Map<String, Long> positions = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return positions;
        }
        for (String line : lines) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                try {
                    positions.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1).trim()));
                } catch (NumberFormatException e) {
                    // not a line this class wrote whole: that sink starts as a new one
                }
            }
        }
        return positions;
    }

    /** Replaces the file with {@code positions}, unless it holds them already. */
    synchronized void write(Map<String, Long> positions) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> e : positions.entrySet()) {
            text.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        }
        String now = text.toString();
        if (now.equals(written)) {
            return;
        }
        Files.writeString(aside, now, StandardCharsets.UTF_8);
        try {
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
        }
        written = now;
    }
}
