package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.window.WindowSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link StreamProcessor} is built from, with the defaults of the HTTP API.
 * Immutable; made by its {@link Builder}, which checks each value as it is set.
 */
public record ProcessorSettings(
    WindowSpec window,
    int ringSize,
    Topology topology,
    WaitStrategyType waitStrategy,
    int maxBatchSize,
    long maxFutureSkewMillis,
    String valuePath,
    int maxDataDepth,
    int maxDataFields,
    int maxDataTokens,
    int maxDataBytes,
    boolean allowUnknownFields,
    int typeLimit,
    int maxTypes,
    int maxSources,
    int maxMetricKeys,
    int exactDistinctLimit,
    long drainTimeoutMillis,
    List<EventFilter> filters,
    List<EventStep> transforms,
    List<Sink> sinks,
    List<Aggregation<?>> aggregations,
    Clock clock,
    ErrorHandler errorHandler) {

    /** Builds a {@link StreamProcessor}. Not thread-safe. */
    public static final class Builder {
        private long windowSize = 60_000;
        private long windowSlide = 10_000;
        private long retention = 300_000;
        private int ringSize = 16_384;
        private Topology topology = Topology.forCores(Runtime.getRuntime().availableProcessors());
        private WaitStrategyType waitStrategy;
        private int maxBatchSize = 1024;
        private long maxFutureSkewMillis = 3_600_000;
        private String valuePath = "value";
        private int maxDataDepth = 16;
        private int maxDataFields = 256;
        private int maxDataTokens = 65_536;
        private int maxDataBytes = 1 << 20;
        private boolean allowUnknownFields;
        private int typeLimit = 1_000;
        private int maxTypes = 10_000;
        private int maxSources = 100_000;
        private int maxMetricKeys = 10_000;
        private int exactDistinctLimit = 10_000;
        private long drainTimeoutMillis = 30_000;
        private final List<EventFilter> filters = new ArrayList<>();
        private final List<EventStep> transforms = new ArrayList<>();
        private final List<Sink> sinks = new ArrayList<>();
        private final List<Aggregation<?>> aggregations = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ErrorHandler errorHandler = new LoggingErrorHandler();

        Builder() {
        }

        /** Window size and slide; the size must be a multiple of the slide (tumbling when equal). */
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
                throw new IllegalArgumentException("ring size must be a power of two >= 2, got " + slots);
            }
            this.ringSize = slots;
            return this;
        }

        public Builder topology(Topology topology) {
            this.topology = topology;
            return this;
        }

        public Builder waitStrategy(WaitStrategyType waitStrategy) {
            this.waitStrategy = waitStrategy;
            return this;
        }

        /** Most events a stage takes in one batch; bounds how long a query may wait for the window stage. */
        public Builder maxBatchSize(int events) {
            this.maxBatchSize = positive("max batch size", events);
            return this;
        }

        /** Events stamped further than this ahead of the server clock are rejected. */
        public Builder maxFutureSkew(Duration skew) {
            this.maxFutureSkewMillis = skew.toMillis();
            return this;
        }

        /** Path in {@code data} of the number windows aggregate, e.g. {@code value} or {@code data.latency.ms}. */
        public Builder valuePath(String path) {
            FieldPath.of(path);
            this.valuePath = path;
            return this;
        }

        public Builder maxDataDepth(int depth) {
            this.maxDataDepth = positive("max data depth", depth);
            return this;
        }

        public Builder maxDataFields(int fields) {
            this.maxDataFields = positive("max data fields", fields);
            return this;
        }

        /** Hard bounds on one event's {@code data}: JSON tokens and bytes of text kept per slot. */
        public Builder maxDataSize(int tokens, int bytes) {
            this.maxDataTokens = positive("max data tokens", tokens);
            this.maxDataBytes = positive("max data bytes", bytes);
            return this;
        }

        public Builder allowUnknownFields(boolean allow) {
            this.allowUnknownFields = allow;
            return this;
        }

        /** Types listed per window; the rest are counted under {@code _other}. */
        public Builder typeLimit(int types) {
            this.typeLimit = positive("type limit", types);
            return this;
        }

        /** Distinct types and sources remembered for the life of the processor. */
        public Builder maxInterned(int types, int sources) {
            this.maxTypes = positive("max types", types);
            this.maxSources = positive("max sources", sources);
            return this;
        }

        /** {@code type:source} pairs counted in stats; the rest under {@code _other}. */
        public Builder maxMetricKeys(int keys) {
            this.maxMetricKeys = positive("max metric keys", keys);
            return this;
        }

        /** Distinct sources counted exactly per window before switching to an estimate. */
        public Builder exactDistinctLimit(int limit) {
            this.exactDistinctLimit = positive("exact distinct limit", limit);
            return this;
        }

        /** How long {@link StreamProcessor#close()} waits for accepted events to drain. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeoutMillis = timeout.toMillis();
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

        public ProcessorSettings settings() {
            WindowSpec spec = new WindowSpec(windowSize, windowSlide, retention);
            int threads = Math.max(1, topology.threads());
            WaitStrategyType wait = waitStrategy != null ? waitStrategy
                : WaitStrategyType.forCores(Runtime.getRuntime().availableProcessors(), threads);
            return new ProcessorSettings(spec, ringSize, topology, wait, maxBatchSize, maxFutureSkewMillis,
                valuePath, maxDataDepth, maxDataFields, maxDataTokens, maxDataBytes, allowUnknownFields,
                typeLimit, maxTypes, maxSources, maxMetricKeys, exactDistinctLimit, drainTimeoutMillis,
                List.copyOf(filters), List.copyOf(transforms), List.copyOf(sinks), List.copyOf(aggregations),
                clock, errorHandler);
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
