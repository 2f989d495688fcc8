package io.streamprocessor.config;

import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.MutableEvent;
import io.streamprocessor.engine.event.Validator;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Test helpers: events written from JSON text, and read back as JSON. */
public final class TestEvents {
    private static final LoadSettings YAML = LoadSettings.builder().build();

    private TestEvents() {
    }

    /**
     * An event of this type and source with {@code data} from JSON (JSON is YAML), as a transform
     * sees it (a filter's read-only view is the same event without the setters).
     */
    public static MutableEvent event(String type, String source, String dataJson) {
        return event(type, source, 1_699_999_999_000L, 1_700_000_000_000L, dataJson);
    }

    /** As {@link #event(String, String, String)}, with the event's time and the time it was received (epoch ms). */
    public static MutableEvent event(String type, String source, long timestamp, long receivedAt, String dataJson) {
        EventRecord record = new EventRecord(FieldPath.of("value"), 4096, 1 << 16);
        record.begin(receivedAt).id("evt-1").type(type).source(source).timestamp(timestamp);
        if (dataJson != null) {
            writeData(record.writer().data(), dataJson);
        }
        // Validated as the pipeline does before any filter runs: names interned, the value read.
        Validator validator = new Validator(new Interner(16), new Interner(16), Long.MAX_VALUE / 4, 64, 100_000, false, "t-");
        if (!validator.validate(record, receivedAt, 0)) {
            throw new IllegalArgumentException("test event refused: " + record.rejectionMessage());
        }
        return record.mutable();
    }

    /** Writes a JSON object into the tape. */
    public static void writeData(DataWriter tape, String json) {
        write(tape, new Load(YAML).loadFromString(json));
    }

    public static MutableEvent data(String dataJson) {
        return event("metric", "web-1", dataJson);
    }

    private static void write(DataWriter tape, Object v) {
        if (v instanceof Map<?, ?> m) {
            tape.startObject();
            m.forEach((k, x) -> {
                tape.name(String.valueOf(k));
                write(tape, x);
            });
            tape.endObject();
        } else if (v instanceof List<?> l) {
            tape.startArray();
            l.forEach(x -> write(tape, x));
            tape.endArray();
        } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            tape.number(((Number) v).longValue());
        } else if (v instanceof Number n) {
            tape.number(n.doubleValue());
        } else if (v instanceof Boolean b) {
            tape.bool(b);
        } else if (v == null) {
            tape.nullValue();
        } else {
            tape.string(String.valueOf(v));
        }
    }

    /** The event's {@code data} as JSON. */
    public static String dataJson(EventView e) {
        EventJson json = new EventJson();
        int n = json.encode(e);
        String all = new String(json.buffer(), 0, n, StandardCharsets.UTF_8);
        return all.substring(all.indexOf("\"data\":") + 7, all.length() - 1);
    }
}
