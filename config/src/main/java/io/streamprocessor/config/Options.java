package io.streamprocessor.config;

import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.pipeline.UnknownFields;
import io.streamprocessor.engine.pipeline.WaitStrategyType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting the engine and the server take: the single catalogue of keys, types, defaults
 * and meanings, from which help, print-config, environment names, flags and suggestions are all
 * generated. {@code --help} and {@code --print-config} list them in this order. Pipeline steps
 * and sinks are lists and live in the file (sinks also in {@code SP_SINKS} and {@code --sinks});
 * see {@link Config}.
 *
 * <p>Defaults are those of the HTTP API, so the server is useful with no file at all. The server's
 * are written here and the server's settings are built from them. The processor's, window's,
 * events' and cardinality defaults are read from the engine's builder ({@link
 * ProcessorSettings#defaults()}): the engine is a library used without this module, so its builder
 * must have defaults of its own, and reading them here keeps a single copy.
 */
public final class Options {
    private Options() {
    }

    /** The engine builder's defaults, read once. */
    private static final ProcessorSettings ENGINE = ProcessorSettings.defaults();

    // ------------------------------------------------------------------ server
    public static final Option<String> HOST = new Option<>("server.host",
        ValueType.text("a host name or IP address", h -> { }), "127.0.0.1", "address to listen on", "--host");
    public static final Option<Integer> PORT = new Option<>("server.port",
        ValueType.integer(0, 65_535, false), 8000, "port to listen on; 0 picks a free one", "--port");
    public static final Option<Integer> EVENT_LOOPS = new Option<>("server.event-loops",
        ValueType.integer(0, 1024, true), 0, "I/O threads; auto is one per two cores", "--event-loops");
    public static final Option<Long> MAX_BODY_SIZE = new Option<>("server.max-body-size",
        ValueType.size(1, 1L << 30, false), 16L << 20, "larger request bodies get 413", null);
    public static final Option<Integer> MAX_BATCH_EVENTS = new Option<>("server.max-batch-events",
        ValueType.integer(1, 10_000_000, false), 10_000,
        "most events in one POST /events/batch; larger batches get 413 and nothing of them is processed", null);
    public static final Option<Integer> MAX_PENDING_PER_CONNECTION = new Option<>("server.max-pending-per-connection",
        ValueType.integer(1, 65_536, false), 64, "pipelined requests awaiting answers before a connection stops being read", null);
    public static final Option<Long> MAX_BUFFERED_BODY = new Option<>("server.max-buffered-body",
        ValueType.size(1 << 20, Long.MAX_VALUE / 2, true), 0L,
        "request bytes buffered across all connections before 503; auto is a quarter of the heap, at least 64MiB", null);
    public static final Option<Duration> REQUEST_TIMEOUT = new Option<>("server.request-timeout",
        ValueType.duration(Duration.ofMillis(1), Duration.ofDays(1)), Duration.ofSeconds(10),
        "a request not fully received this long after its last byte gets 408", null);
    public static final Option<Duration> IDLE_TIMEOUT = new Option<>("server.idle-timeout",
        ValueType.duration(Duration.ofMillis(1), Duration.ofDays(1)), Duration.ofSeconds(60),
        "an idle keep-alive connection is closed after this long", null);
    public static final Option<Duration> OVERLOAD_DELAY = new Option<>("server.overload-delay",
        ValueType.duration(Duration.ZERO, Duration.ofSeconds(10)), Duration.ofMillis(20),
        "new events get 503 + Retry-After, before their body is parsed, once an I/O thread has been busy this long "
            + "without coming back to its other connections; keeps health checks and new connections answered under "
            + "overload; 0 sheds only when the pipeline is over 90% full", null);
    public static final Option<Long> MAX_INITIAL_LINE = new Option<>("server.max-initial-line",
        ValueType.size(256, 1 << 20, false), 4096L, "longest request line", null);
    public static final Option<Long> MAX_HEADER_SIZE = new Option<>("server.max-header-size",
        ValueType.size(1024, 1 << 24, false), 16_384L, "largest request headers", null);

    // ------------------------------------------------------------------ processor
    public static final Option<Integer> RING_SIZE = new Option<>("processor.ring-size",
        ValueType.integer(2, 1 << 24, v -> Integer.bitCount(v) == 1, "a power of two"), ENGINE.ringSize(),
        "slots in the ring; bounds the events in flight (full: 503); each empty slot takes about "
            + ProcessorSettings.EMPTY_SLOT_BYTES + " bytes of heap", null);
    public static final Option<Topology> TOPOLOGY = new Option<>("processor.topology",
        ValueType.choice(Topology.values(), Topology::configName, true), null,
        "stages on threads: inline (0: the I/O threads run them), single (1), fused (2), per-stage (6); "
            + "auto picks by cores", "--topology");
    public static final Option<WaitStrategyType> WAIT_STRATEGY = new Option<>("processor.wait-strategy",
        ValueType.choice(WaitStrategyType.values(), WaitStrategyType::configName, true), null,
        "how idle stage threads wait; auto blocks, so an idle server takes next to no CPU", null);
    public static final Option<Integer> MAX_STAGE_BATCH = new Option<>("processor.max-stage-batch",
        ValueType.integer(1, 1 << 20, false), ENGINE.maxStageBatch(),
        "most events a stage thread takes before it flushes sinks and publishes counters; bounds a query's wait", null);
    public static final Option<Duration> DRAIN_TIMEOUT = new Option<>("processor.drain-timeout",
        ValueType.duration(Duration.ZERO, Duration.ofHours(1)), Duration.ofMillis(ENGINE.drainTimeoutMillis()),
        "how long shutdown waits for accepted events to drain", null);

    // ------------------------------------------------------------------ window
    public static final Option<Duration> WINDOW_SIZE = new Option<>("window.size",
        ValueType.duration(Duration.ofMillis(1), Duration.ofDays(366)), Duration.ofMillis(ENGINE.window().sizeMillis()),
        "window length W; a multiple of the slide", null);
    public static final Option<Duration> WINDOW_SLIDE = new Option<>("window.slide",
        ValueType.duration(Duration.ofMillis(1), Duration.ofDays(366)), Duration.ofMillis(ENGINE.window().slideMillis()),
        "window slide S; equal to the size for tumbling windows", null);
    public static final Option<Duration> WINDOW_RETENTION = new Option<>("window.retention",
        ValueType.duration(Duration.ZERO, Duration.ofDays(366)), Duration.ofMillis(ENGINE.window().retentionMillis()),
        "how long past its end (on the watermark) a window is kept", null);

    // ------------------------------------------------------------------ events
    public static final Option<String> VALUE_PATH = new Option<>("events.value-path",
        ValueType.text("a member of data such as data.value or data.latency.ms", Options::checkPath),
        ENGINE.valuePath(), "the number windows aggregate", null);
    public static final Option<Duration> MAX_FUTURE_SKEW = new Option<>("events.max-future-skew",
        ValueType.duration(Duration.ZERO, Duration.ofDays(3650)), Duration.ofMillis(ENGINE.maxFutureSkewMillis()),
        "events stamped further ahead of the server clock are rejected", null);
    public static final Option<UnknownFields> UNKNOWN_FIELDS = new Option<>("events.unknown-fields",
        ValueType.choice(UnknownFields.values(), UnknownFields::configName, false), ENGINE.unknownFields(),
        "unknown top-level event fields: reject (400) or allow", null);
    public static final Option<Integer> MAX_DEPTH = new Option<>("events.max-depth",
        ValueType.integer(1, 60, false), ENGINE.maxDepth(), "deepest nesting of data", null);
    public static final Option<Integer> MAX_FIELDS = new Option<>("events.max-fields",
        ValueType.integer(1, 1_000_000, false), ENGINE.maxFields(), "most members in data, at every depth", null);
    public static final Option<Integer> MAX_DATA_TOKENS = new Option<>("events.max-data-tokens",
        ValueType.integer(16, 1 << 24, false), ENGINE.maxDataTokens(), "hard bound on JSON tokens of one event's data", null);
    public static final Option<Long> MAX_DATA_SIZE = new Option<>("events.max-data-size",
        ValueType.size(1024, 1 << 30, false), (long) ENGINE.maxDataBytes(), "hard bound on text bytes of one event's data", null);

    // ------------------------------------------------------------------ cardinality
    public static final Option<Integer> TYPES_PER_WINDOW = new Option<>("cardinality.types-per-window",
        ValueType.integer(1, 1_000_000, false), ENGINE.typesPerWindow(), "types listed per window; the rest under _other", null);
    public static final Option<Integer> MAX_TYPES = new Option<>("cardinality.max-types",
        ValueType.integer(1, 10_000_000, false), ENGINE.maxTypes(), "distinct types remembered for the life of the process", null);
    public static final Option<Integer> MAX_SOURCES = new Option<>("cardinality.max-sources",
        ValueType.integer(1, 100_000_000, false), ENGINE.maxSources(), "distinct sources remembered for the life of the process", null);
    public static final Option<Integer> MAX_METRIC_KEYS = new Option<>("cardinality.max-metric-keys",
        ValueType.integer(1, 10_000_000, false), ENGINE.maxMetricKeys(), "type:source pairs counted in /stats; the rest under _other", null);
    public static final Option<Integer> EXACT_DISTINCT_SOURCES = new Option<>("cardinality.exact-distinct-sources",
        ValueType.integer(1, 10_000_000, false), ENGINE.exactDistinctSources(), "distinct sources counted exactly per window before estimating", null);
    public static final Option<Integer> SOURCE_GROUPS_PER_WINDOW = new Option<>("cardinality.source-groups-per-window",
        ValueType.integer(1, 1_000_000, false), ENGINE.sourceGroupsPerWindow(), "sources grouped per slide interval for groupBy=source; the rest under _other", null);

    // ------------------------------------------------------------------ journal
    public static final Option<Boolean> JOURNAL_ENABLED = new Option<>("journal.enabled",
        ValueType.bool(), true,
        "append every accepted event to the journal before acknowledging it, and replay it at start; "
            + "false keeps events in memory only (a crash loses them)", null);
    public static final Option<String> JOURNAL_DIR = new Option<>("journal.dir",
        ValueType.text("a directory", d -> { }), "data/journal",
        "where the journal's segment files live; relative to the working directory", null);
    public static final Option<JournalSettings.Fsync> JOURNAL_FSYNC = new Option<>("journal.fsync",
        ValueType.choice(JournalSettings.Fsync.values(), JournalSettings.Fsync::configName, false), JournalSettings.Fsync.NONE,
        "none: an acknowledged event survives the process crashing; batch: forced to disk before each "
            + "acknowledgement, survives power loss; interval: forced every journal.fsync-interval", null);
    public static final Option<Duration> JOURNAL_FSYNC_INTERVAL = new Option<>("journal.fsync-interval",
        ValueType.duration(Duration.ofMillis(1), Duration.ofHours(1)),
        Duration.ofMillis(JournalSettings.DEFAULT_FSYNC_INTERVAL_MILLIS), "how often journal.fsync interval forces the journal to disk", null);
    public static final Option<Long> JOURNAL_SEGMENT_SIZE = new Option<>("journal.segment-size",
        ValueType.size(1 << 20, 1 << 30, false), JournalSettings.DEFAULT_SEGMENT_BYTES,
        "a segment file is closed and a new one begun past this size; whole segments are deleted once no window or sink needs them", null);
    public static final Option<JournalSettings.OnCorruption> JOURNAL_ON_CORRUPTION = new Option<>("journal.on-corruption",
        ValueType.choice(JournalSettings.OnCorruption.values(), JournalSettings.OnCorruption::configName, false),
        JournalSettings.OnCorruption.STOP,
        "a damaged record before the journal's last: stop (refuse to start, saying where) or truncate "
            + "(keep what precedes it, move the rest aside into .damaged files, start)", null);

    /** Every option, in the order of help and print-config. */
    public static final List<Option<?>> ALL = List.of(
        HOST, PORT, EVENT_LOOPS, MAX_BODY_SIZE, MAX_BATCH_EVENTS, MAX_PENDING_PER_CONNECTION, MAX_BUFFERED_BODY,
        REQUEST_TIMEOUT, IDLE_TIMEOUT, OVERLOAD_DELAY, MAX_INITIAL_LINE, MAX_HEADER_SIZE,
        RING_SIZE, TOPOLOGY, WAIT_STRATEGY, MAX_STAGE_BATCH, DRAIN_TIMEOUT,
        WINDOW_SIZE, WINDOW_SLIDE, WINDOW_RETENTION,
        VALUE_PATH, MAX_FUTURE_SKEW, UNKNOWN_FIELDS, MAX_DEPTH, MAX_FIELDS, MAX_DATA_TOKENS, MAX_DATA_SIZE,
        TYPES_PER_WINDOW, MAX_TYPES, MAX_SOURCES, MAX_METRIC_KEYS, EXACT_DISTINCT_SOURCES, SOURCE_GROUPS_PER_WINDOW,
        JOURNAL_ENABLED, JOURNAL_DIR, JOURNAL_FSYNC, JOURNAL_FSYNC_INTERVAL, JOURNAL_SEGMENT_SIZE, JOURNAL_ON_CORRUPTION);

    /** Sections of the file holding options, in order; {@code pipeline} and {@code sinks} are lists. */
    public static final List<String> SECTIONS = List.of("server", "processor", "window", "events", "cardinality", "journal");

    static final Map<String, Option<?>> BY_KEY = new LinkedHashMap<>();

    static {
        for (Option<?> o : ALL) {
            BY_KEY.put(o.key(), o);
        }
    }

    private static void checkPath(String path) {
        try {
            FieldPath.of(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + path + "' is not a member path; expected names separated by "
                + "dots such as data.value or data.latency.ms");
        }
    }
}
