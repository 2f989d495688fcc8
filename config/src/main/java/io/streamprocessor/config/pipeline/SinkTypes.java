package io.streamprocessor.config.pipeline;

import io.streamprocessor.engine.sink.ConsoleSink;
import io.streamprocessor.engine.sink.MetricsSink;
import io.streamprocessor.engine.sink.Sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The sink types a configuration can name, each a fresh sink per processor. */
public final class SinkTypes {
    private static final Map<String, Supplier<Sink>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("console", ConsoleSink::new);
        TYPES.put("metrics", MetricsSink::new);
    }

    private SinkTypes() {
    }

    /** {@code console} (JSON lines on standard output), {@code metrics} (counts what reaches the sinks). */
    public static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }

    public static boolean exists(String type) {
        return TYPES.containsKey(type);
    }

    /**
     * A new sink of the type.
     *
     * @throws IllegalArgumentException for an unknown type, naming the allowed ones
     */
    public static Sink create(String type) {
        Supplier<Sink> s = TYPES.get(type);
        if (s == null) {
            throw new IllegalArgumentException(unknown(type));
        }
        return s.get();
    }

    static String unknown(String type) {
        return "unknown sink type '" + type + "'; allowed: " + String.join(", ", TYPES.keySet());
    }
}
