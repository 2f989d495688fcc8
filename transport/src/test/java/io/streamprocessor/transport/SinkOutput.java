package io.streamprocessor.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test helper: the events a file sink wrote into its directory (the active file and any rotated
 * ones), by id, read with a streaming parser so that tens of thousands of lines read in a moment.
 * An event written more than once (at least once, after a crash) counts once and must be the same
 * line every time. Not thread-safe; a snapshot of the files when it was read.
 */
final class SinkOutput {
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    /** One event as written: its type, source, {@code data.value} (Long, Double, or null without one) and line. */
    record Written(String type, String source, Number value, String line) {
    }

    /** Each event once, by id, in the order first written. */
    final Map<String, Written> byId = new LinkedHashMap<>();
    /** Lines written in all, repeats included. */
    int lines;
    /** What is wrong with the files: torn or unreadable lines, an event written twice differently. */
    final List<String> problems = new ArrayList<>();

    private SinkOutput() {
    }

    /**
     * Reads every file of {@code dir} (none yet is no event). {@code strict}: a last line without its
     * newline is a problem; otherwise (the sink may be writing it right now) it is left for a later read.
     */
    static SinkOutput read(Path dir, boolean strict) throws IOException {
        SinkOutput o = new SinkOutput();
        if (!Files.isDirectory(dir)) {
            return o;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n') + 1;
                if (end < text.length() && strict) {
                    o.problems.add(f.getFileName() + ": torn last line: " + text.substring(end));
                }
                int from = 0;
                while (from < end) {
                    int nl = text.indexOf('\n', from);
                    if (nl > from) {
                        o.add(f, text.substring(from, nl));
                    }
                    from = nl + 1;
                }
            }
        }
        return o;
    }

    private void add(Path file, String line) {
        lines++;
        String id = null;
        String type = null;
        String source = null;
        Number value = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "source" -> source = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "data" -> value = value(p, t);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("not one object");
            }
        } catch (IOException e) {
            problems.add(file.getFileName() + ": not a JSON event (" + e.getMessage() + "): " + line);
            return;
        }
        if (id == null || type == null || source == null) {
            problems.add(file.getFileName() + ": an event without id, type or source: " + line);
            return;
        }
        Written earlier = byId.putIfAbsent(id, new Written(type, source, value, line));
        if (earlier != null && !earlier.line().equals(line)) {
            problems.add(file.getFileName() + ": " + id + " written twice, differently: " + earlier.line() + " / " + line);
        }
    }

    /** {@code data.value}, the parser standing on the start of {@code data}; skips the rest of it. */
    private static Number value(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Number value = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (name.equals("value") && v == JsonToken.VALUE_NUMBER_INT) {
                value = p.getLongValue();
            } else if (name.equals("value") && v == JsonToken.VALUE_NUMBER_FLOAT) {
                value = p.getDoubleValue();
            } else {
                p.skipChildren();
            }
        }
        return value;
    }
}
