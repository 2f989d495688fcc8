package io.streamprocessor.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Test helper: the JSON text of events and batches. */
final class EventText {
    /** 2023-11-07T18:00:00Z, aligned to both 10 s and 60 s, as in the seed's examples. */
    static final long T0 = 1_699_380_000_000L;

    private EventText() {
    }

    /** An event with a timestamp and, when {@code value} is not null, {@code data.value}. */
    static String event(String type, String source, long timestamp, Number value) {
        return "{\"type\":" + Json.quote(type) + ",\"source\":" + Json.quote(source) + ",\"timestamp\":" + timestamp
            + (value == null ? "" : ",\"data\":{\"value\":" + value + "}") + "}";
    }

    static String batch(List<String> events) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        events.forEach(j::add);
        return j.toString();
    }

    static String batch(String... events) {
        return batch(List.of(events));
    }

    /** {@code n} valid events of one type and source, one millisecond apart from {@code start}. */
    static List<String> events(int n, String type, String source, long start, Number value) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(event(type, source, start + i, value));
        }
        return out;
    }
}
