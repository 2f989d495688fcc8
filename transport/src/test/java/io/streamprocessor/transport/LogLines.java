package io.streamprocessor.transport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helper: the server's log lines on standard error, {@code <ISO-8601 time with offset> <LEVEL> <message>}
 * (slf4j-simple, as {@code simplelogger.properties} sets it up).
 */
final class LogLines {
    private static final Pattern LINE = Pattern.compile(
        "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?:Z|[+-]\\d\\d:\\d\\d)) (INFO|WARN|ERROR) (.*)");

    private LogLines() {
    }

    /** The message of a log line, or null when the line is not one. */
    static String message(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? m.group(3) : null;
    }

    /** Asserts that {@code line} is a log line at {@code level}, and returns its message. */
    static String at(String level, String line) {
        Matcher m = LINE.matcher(line == null ? "" : line);
        assertTrue(m.matches(), "not a log line: " + line);
        assertEquals(level, m.group(2), "the level of: " + line);
        return m.group(3);
    }
}
