package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.Notices;
import io.streamprocessor.engine.window.WindowSpec;
import io.streamprocessor.engine.window.WindowStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything a {@link StreamProcessor} is built from. Immutable; made by its {@link Builder},
 * which checks each value as it is set. The names follow the configuration keys
 * ({@code processor.ring-size} is {@code ringSize}, {@code cardinality.types-per-window} is
 * {@code typesPerWindow}); a bare number carries its unit in the name ({@code drainTimeoutMillis},
 * {@code maxDataBytes} for {@code events.max-data-size}).
 *
 * <p>The builder's initial values are the defaults of the HTTP API, and the only copy of them:
 * the configuration's catalogue reads them through {@link #defaults()}.
 *
 * @param journal       where and how events are journaled, or null for none (events then live in memory only)
 * @param notices       receives one line for each notable thing the processor does on its own (a journal
 *                      replayed, a damaged record cut, backpressure starting and ending), with its level;
 *                      by default logged through SLF4J ({@link Notices#log()})
 * @param maxStageBatch most events a stage handler takes before its end-of-batch work (publishing
 *                      counters, flushing sinks, releasing the window lock); not the HTTP batch
 * @param singleProducer true when one thread does nearly all the publishing (an embedder's one
 *                      producer thread; the server keeps false): the ring then takes Disruptor's
 *                      single-producer sequencer, and the claims of any other thread wait their turn
 *                      behind a lock; false (the default) for several threads publishing at once
 */
public record ProcessorSettings(
    WindowSpec window,
    int ringSize,
    Topology topology,
    WaitStrategyType waitStrategy,
    int maxStageBatch,
    long drainTimeoutMillis,
    String valuePath,
    long maxFutureSkewMillis,
    UnknownFields unknownFields,
    int maxDepth,
    int maxFields,
    int maxDataTokens,
    int maxDataBytes,
    int typesPerWindow,
    int maxTypes,
    int maxSources,
    int maxMetricKeys,
    int exactDistinctSources,
    int sourceGroupsPerWindow,
    List<EventFilter> filters,
    List<EventStep> transforms,
    List<Sink> sinks,
    List<Aggregation<?>> aggregations,
    Clock clock,
    ErrorHandler errorHandler,
    JournalSettings journal,
    Notices notices,
    boolean singleProducer) {

    /**
     * Heap one ring slot takes before any event has been written into it, in bytes: the
     * {@code Slot}, its {@code EventRecord} with its flyweights and text arena (64 bytes), its {@code DataTape} object with
     * the tape's initial arrays (16 tokens of two longs each; a 128-byte string arena), and the ring's reference to the slot. Measured on a 64-bit JVM
     * with compressed references by {@code ProcessorSettingsTest}. Slots grow with the events
     * they carry, so this is the least a ring needs, not the most.
     */
    public static final long EMPTY_SLOT_BYTES = 832;

    /** The heap a ring of {@code slots} empty slots takes, in bytes ({@link #EMPTY_SLOT_BYTES} each). */
    public static long ringHeapBytes(int slots) {
        return slots * EMPTY_SLOT_BYTES;
    }

    /** The settings a new builder starts with: the defaults of the API, topology and wait strategy chosen by cores. */
    public static ProcessorSettings defaults() {
        return new Builder().settings();
    }

    /** Builds a {@link StreamProcessor}. Not thread-safe. */
    public static final class Builder {
        private long windowSize = 60_000;
        private long windowSlide = 10_000;
        private long retention = 300_000;
        private int ringSize = 16_384;
        private Topology topology;
        private WaitStrategyType waitStrategy;
        private int maxStageBatch = 1024;
        private long drainTimeoutMillis = 30_000;
        private String valuePath = "data.value";
        private long maxFutureSkewMillis = 3_600_000;
        private UnknownFields unknownFields = UnknownFields.REJECT;
        private int maxDepth = 16;
        private int maxFields = 256;
        private int maxDataTokens = 65_536;
        private int maxDataBytes = 1 << 20;
        private int typesPerWindow = 1_000;
        private int maxTypes = 10_000;
        private int maxSources = 100_000;
        private int maxMetricKeys = 10_000;
        private int exactDistinctSources = 10_000;
        private int sourceGroupsPerWindow = WindowStore.DEFAULT_SOURCE_GROUPS;
        private final List<EventFilter> filters = new ArrayList<>();
        private final List<EventStep> transforms = new ArrayList<>();
        private final List<Sink> sinks = new ArrayList<>();
        private final List<Aggregation<?>> aggregations = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ErrorHandler errorHandler = new LoggingErrorHandler();
        private JournalSettings journal;
        private Notices notices = Notices.log();
        private boolean singleProducer;

        Builder() {
        }

        /** Window size and slide ({@code window.size}, {@code window.slide}); the size must be a multiple of the slide. */
        public Builder window(Duration size, Duration slide) {
            this.windowSize = size.toMillis();
            this.windowSlide = slide.toMillis();
            return this;
        }

        /** How long past its end a window is kept, measured on the watermark. */
        public Builder retention(Duration retention) {
            this.retention = retention.toMillis();
            return this;
        }

        /** Slots in the ring, a power of two; bounds the events in flight. */
        public Builder ringSize(int slots) {
            if (slots < 2 || Integer.bitCount(slots) != 1) {
                throw new IllegalArgumentException("ringSize must be a power of two >= 2, got " + slots);
            }
            this.ringSize = slots;
            return this;
        }

        /** The layout of stages on threads; null (the default) picks by cores, {@link Topology#forCores}. */
        public Builder topology(Topology topology) {
            this.topology = topology;
            return this;
        }

        /** How idle stage threads wait; null (the default) picks by cores, {@link WaitStrategyType#forCores}. */
        public Builder waitStrategy(WaitStrategyType waitStrategy) {
            this.waitStrategy = waitStrategy;
            return this;
        }

        /** Most events a stage takes before its end-of-batch work; bounds how long a query waits for the window stage. */
        public Builder maxStageBatch(int events) {
            this.maxStageBatch = positive("maxStageBatch", events);
            return this;
        }

        /** How long {@link StreamProcessor#close()} waits for accepted events to drain. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeoutMillis = timeout.toMillis();
            return this;
        }

        /** The member of {@code data} windows aggregate, e.g. {@code data.value} or {@code data.latency.ms}. */
        public Builder valuePath(String path) {
            FieldPath.of(path);
            this.valuePath = path;
            return this;
        }

        /** Events stamped further than this ahead of the server clock are rejected. */
        public Builder maxFutureSkew(Duration skew) {
            this.maxFutureSkewMillis = skew.toMillis();
            return this;
        }

        /** Whether a top-level field the API does not define rejects the event or is ignored. */
        public Builder unknownFields(UnknownFields unknownFields) {
            this.unknownFields = java.util.Objects.requireNonNull(unknownFields, "unknownFields");
            return this;
        }

        /** Deepest nesting of {@code data}. */
        public Builder maxDepth(int depth) {
            this.maxDepth = positive("maxDepth", depth);
            return this;
        }

        /** Most members in {@code data}, counted at every depth. */
        public Builder maxFields(int fields) {
            this.maxFields = positive("maxFields", fields);
            return this;
        }

        /** Hard bound on the JSON tokens of one event's {@code data} kept in a slot. */
        public Builder maxDataTokens(int tokens) {
            this.maxDataTokens = positive("maxDataTokens", tokens);
            return this;
        }

        /** Hard bound on the text bytes of one event's {@code data} kept in a slot. */
        public Builder maxDataSize(int bytes) {
            this.maxDataBytes = positive("maxDataSize", bytes);
            return this;
        }

        /** Types listed per window; the rest are counted under {@code _other}. */
        public Builder typesPerWindow(int types) {
            this.typesPerWindow = positive("typesPerWindow", types);
            return this;
        }

        /** Distinct types remembered for the life of the processor. */
        public Builder maxTypes(int types) {
            this.maxTypes = positive("maxTypes", types);
            return this;
        }

        /** Distinct sources remembered for the life of the processor. */
        public Builder maxSources(int sources) {
            this.maxSources = positive("maxSources", sources);
            return this;
        }

        /** {@code type:source} pairs counted in stats; the rest under {@code _other}. */
        public Builder maxMetricKeys(int keys) {
            this.maxMetricKeys = positive("maxMetricKeys", keys);
            return this;
        }

        /** Distinct sources counted exactly per window before switching to an estimate. */
        public Builder exactDistinctSources(int sources) {
            this.exactDistinctSources = positive("exactDistinctSources", sources);
            return this;
        }

        /** Sources with aggregates of their own per slide interval when a query groups by source; the rest under {@code _other}. */
        public Builder sourceGroupsPerWindow(int sources) {
            this.sourceGroupsPerWindow = positive("sourceGroupsPerWindow", sources);
            return this;
        }

        public Builder addFilter(EventFilter filter) {
            filters.add(filter);
            return this;
        }

        /** Adds a transform; transforms and steps run in the order added, after every filter. */
        public Builder addTransform(EventTransform transform) {
            transforms.add(e -> {
                transform.apply(e);
                return true;
            });
            return this;
        }

        /** Adds a transform that may drop the event (counted as filtered); runs in order with the transforms. */
        public Builder addStep(EventStep step) {
            transforms.add(step);
            return this;
        }

        public Builder addSink(Sink sink) {
            sinks.add(sink);
            return this;
        }

        public Builder addAggregation(Aggregation<?> aggregation) {
            for (Aggregation<?> a : aggregations) {
                if (a.name().equals(aggregation.name())) {
                    throw new IllegalArgumentException("two aggregations named '" + aggregation.name() + "'");
                }
            }
            aggregations.add(aggregation);
            return this;
        }

        /** Server clock for receive times and the future-skew check. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder errorHandler(ErrorHandler handler) {
            this.errorHandler = handler;
            return this;
        }

        /**
         * Journals every event (see {@link io.streamprocessor.engine.journal.Journal}): a request is
         * acknowledged once its events are written, and a processor started on the same directory
         * replays them, so the windows, the totals and the sinks continue where they were. Null (the
         * builder's default; the server's is {@code data/journal}) keeps events in memory only.
         */
        public Builder journal(JournalSettings journal) {
            this.journal = journal;
            return this;
        }

        /** Where one-line notices go (journal replayed, damage cut, backpressure); SLF4J by default. */
        public Builder notices(Notices notices) {
            this.notices = java.util.Objects.requireNonNull(notices, "notices");
            return this;
        }

        /** As {@link #notices(Notices)}, for a receiver of the bare lines, whatever their level. */
        public Builder notices(Consumer<String> lines) {
            return notices(Notices.lines(java.util.Objects.requireNonNull(lines, "notices")));
        }

        /**
         * Whether one thread does nearly all the publishing. With true, the ring uses Disruptor's
         * single-producer sequencer: no compare-and-swap per claim for the producer, no per-slot
         * availability flags for the stage threads to scan (about a fifth more events a second in
         * the peer bench, perf/RESULTS.md). Any thread may still publish: a lock, uncontended when
         * one thread publishes, orders claims from their claim to their publish, so other threads
         * wait while one writes its claimed slots. Hence false (the default) when several threads
         * publish at once.
         */
        public Builder singleProducer(boolean singleProducer) {
            this.singleProducer = singleProducer;
            return this;
        }

        public ProcessorSettings settings() {
            WindowSpec spec = new WindowSpec(windowSize, windowSlide, retention);
            int cores = Runtime.getRuntime().availableProcessors();
            Topology layout = topology != null ? topology : Topology.forCores(cores);
            WaitStrategyType wait = waitStrategy != null ? waitStrategy
                : WaitStrategyType.forCores(cores, Math.max(1, layout.threads()));
            return new ProcessorSettings(spec, ringSize, layout, wait, maxStageBatch, drainTimeoutMillis,
                valuePath, maxFutureSkewMillis, unknownFields, maxDepth, maxFields, maxDataTokens, maxDataBytes,
                typesPerWindow, maxTypes, maxSources, maxMetricKeys, exactDistinctSources, sourceGroupsPerWindow,
                List.copyOf(filters), List.copyOf(transforms), List.copyOf(sinks), List.copyOf(aggregations),
                clock, errorHandler, journal, notices, singleProducer);
        }

        /** Checks the settings and builds the processor (not yet started). */
        public StreamProcessor build() {
            return new StreamProcessor(settings());
        }

        private static int positive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be > 0, got " + value);
            }
            return value;
        }
    }
}
