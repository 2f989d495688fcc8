package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.SinkSpec;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.connectors.file.FileSink;
import io.streamprocessor.connectors.file.FileSinkSettings;
import io.streamprocessor.connectors.kafka.KafkaKey;
import io.streamprocessor.connectors.kafka.KafkaSinkSettings;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every sink type a configuration can declare, with its settings: the one place their keys,
 * types, defaults and meanings are written down. {@code --help}, {@code --print-config}, the file
 * reader and {@link io.streamprocessor.config.pipeline.SinkTypes} all go by it. Stateless.
 */
public final class SinkCatalog {
    /** A sink type: what it is for, whether it delivers from a buffer of its own, and its settings. */
    record Type(String name, String description, boolean buffered, List<SinkSetting<?>> settings) {
    }

    private static final BufferSettings BUFFER = BufferSettings.defaults();

    static final SinkSetting<String> NAME = new SinkSetting<>("name",
        ValueType.text("a name for /stats and /health", n -> { }), "", "name in /stats and /health; default: the type, then type-2, type-3 for more of one type");

    /** Settings of every sink that delivers from its own buffer and thread. */
    static List<SinkSetting<?>> buffered(int flushEvents, Duration flushInterval) {
        return List.of(
            new SinkSetting<>("overflow", ValueType.choice(Overflow.values(), Overflow::configName, false), BUFFER.overflow(),
                "when the buffer is full: backpressure (refuse requests with 503 until it drains) or drop (count each dropped event)"),
            new SinkSetting<>("buffer-events", ValueType.integer(1, 1 << 24, false), BUFFER.bufferEvents(),
                "events held, accepted but not yet delivered"),
            new SinkSetting<>("flush-events", ValueType.integer(1, 1 << 20, false), flushEvents,
                "most events delivered in one write"),
            new SinkSetting<>("flush-interval", ValueType.duration(Duration.ZERO, Duration.ofHours(1)), flushInterval,
                "longest an event waits for others to join its write"),
            new SinkSetting<>("retry-initial", ValueType.duration(Duration.ofMillis(1), Duration.ofHours(1)), BUFFER.retryInitial(),
                "wait after a failure; doubles with each failure in a row"),
            new SinkSetting<>("retry-max", ValueType.duration(Duration.ofMillis(1), Duration.ofDays(1)), BUFFER.retryMax(),
                "longest wait between attempts"),
            new SinkSetting<>("drain-timeout", ValueType.duration(Duration.ZERO, Duration.ofHours(1)), BUFFER.drainTimeout(),
                "how long shutdown waits to deliver what the sink holds"));
    }

    static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        add(new Type("console", "JSON lines on standard output", false, List.of(
            new SinkSetting<>("sample-rate", ValueType.fraction(), 1.0,
                "share of events printed, evenly spread (0.01: one in a hundred), so a busy stream cannot flood a terminal"))));
        add(new Type("metrics", "counts what reaches the sinks (no output)", false, List.of()));
        add(new Type("file", "NDJSON lines appended to a file, rotated by size and time", true, with(List.of(
            new SinkSetting<>("path", ValueType.text("a file path such as out/events.ndjson", v -> { }), null,
                "the file written (its directory is created); rotated files sit beside it"),
            new SinkSetting<>("rotate-size", ValueType.size(0, Long.MAX_VALUE / 2, false), FileSinkSettings.DEFAULT_ROTATE_SIZE,
                "rotate before the file would grow past this; 0: never"),
            new SinkSetting<>("rotate-interval", ValueType.duration(Duration.ZERO, Duration.ofDays(366)),
                FileSinkSettings.DEFAULT_ROTATE_INTERVAL, "rotate at the first write after the file is this old; 0: never"),
            new SinkSetting<>("gzip", ValueType.bool(), false, "compress rotated files to .gz"),
            new SinkSetting<>("fsync", ValueType.bool(), false,
                "force each write to the device before it counts (survives power loss; costs throughput)")),
            buffered(FileSink.DEFAULT_FLUSH_EVENTS, FileSink.DEFAULT_FLUSH_INTERVAL))));
        KafkaSinkSettings kafka = KafkaSinkSettings.defaults();
        add(new Type("kafka", "records on a Kafka topic: value the event's JSON line, key its source", true, with(List.of(
            new SinkSetting<>("bootstrap-servers", ValueType.text("host:port, comma-separated", v -> { }), kafka.bootstrapServers(),
                "the brokers to start from"),
            new SinkSetting<>("topic", ValueType.text("a topic name", v -> { }), kafka.topic(), "the topic written to"),
            new SinkSetting<>("key", ValueType.choice(KafkaKey.values(), KafkaKey::configName, false), kafka.key(),
                "the record key: source, type, id or none"),
            new SinkSetting<>("producer", ValueType.mapping("producer properties, name: value"), Map.of(),
                "Kafka producer properties passed through, over the sink's (acks all, idempotent, lz4, linger.ms 5)")),
            buffered(10_000, Duration.ZERO))));
        add(new Type("postgres", "rows in a PostgreSQL table, a transaction per batch", true, with(List.of(
            new SinkSetting<>("url", ValueType.text("a JDBC URL such as jdbc:postgresql://localhost:5432/app", u -> { }), null,
                "jdbc:postgresql://host:port/database (driver parameters allowed, a password is not)"),
            new SinkSetting<>("table", ValueType.text("a table name, or schema.table", t -> { }), PostgresSinkSettings.DEFAULT_TABLE,
                "the table, created if absent (id, type, source, timestamp, received_at, data)"),
            new SinkSetting<>("user", ValueType.optionalText("a database user"), "",
                "database user; default: the URL's, else the driver's"),
            new SinkSetting<>("password-env", ValueType.text("an environment variable name", v -> { }),
                PostgresSinkSettings.DEFAULT_PASSWORD_ENV, "the environment variable holding the password (never the password itself)"),
            new SinkSetting<>("method", ValueType.choice(PostgresSinkSettings.Method.values(),
                PostgresSinkSettings.Method::configName, false), PostgresSinkSettings.Method.COPY,
                "how rows are sent: copy (faster, measured) or insert"),
            new SinkSetting<>("data-type", ValueType.choice(PostgresSinkSettings.DataType.values(),
                PostgresSinkSettings.DataType::configName, false), PostgresSinkSettings.DataType.JSONB,
                "column type of data: jsonb (stored by value) or json (the text as sent)"),
            new SinkSetting<>("connect-timeout", ValueType.duration(Duration.ofMillis(1), Duration.ofHours(1)),
                PostgresSinkSettings.DEFAULT_CONNECT_TIMEOUT, "longest wait to connect"),
            new SinkSetting<>("socket-timeout", ValueType.duration(Duration.ofMillis(1), Duration.ofHours(1)),
                PostgresSinkSettings.DEFAULT_SOCKET_TIMEOUT, "longest wait for an answer from the server")),
            buffered(10_000, Duration.ZERO))));
    }

    private SinkCatalog() {
    }

    @SafeVarargs
    private static List<SinkSetting<?>> with(List<SinkSetting<?>>... parts) {
        List<SinkSetting<?>> all = new ArrayList<>();
        for (List<SinkSetting<?>> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static void add(Type t) {
        TYPES.put(t.name(), t);
    }

    /** The sink types, in the order of help. */
    public static List<String> types() {
        return List.copyOf(TYPES.keySet());
    }

    static Type type(String name) {
        return TYPES.get(name);
    }

    /** Every setting of the type, the common ones first. */
    static List<SinkSetting<?>> settings(Type t) {
        List<SinkSetting<?>> all = new ArrayList<>();
        all.add(NAME);
        all.addAll(t.settings());
        return all;
    }

    static SinkSetting<?> setting(Type t, String key) {
        for (SinkSetting<?> s : settings(t)) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** A sink of the type with every setting at its default; for a type with required settings, null. */
    public static SinkSpec defaults(String type, String name) {
        Type t = TYPES.get(type);
        if (t == null) {
            throw new IllegalArgumentException("unknown sink type '" + type + "'; allowed: " + String.join(", ", types()));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (SinkSetting<?> s : t.settings()) {
            if (s.required()) {
                return null;
            }
            values.put(s.key(), s.defaultValue());
        }
        return new SinkSpec(type, name, values);
    }
}
