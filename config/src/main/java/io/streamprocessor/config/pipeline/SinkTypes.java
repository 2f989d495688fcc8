package io.streamprocessor.config.pipeline;

import io.streamprocessor.config.SinkCatalog;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.engine.sink.ConsoleSink;
import io.streamprocessor.engine.sink.MetricsSink;
import io.streamprocessor.engine.sink.Sink;

/**
 * Makes a new sink from its declaration; each processor gets its own. The settings' keys, types
 * and defaults are {@link SinkCatalog}'s.
 */
public final class SinkTypes {
    private SinkTypes() {
    }

    /**
     * A new sink as declared.
     *
     * @throws IllegalArgumentException for an unknown type, naming the allowed ones
     */
    public static Sink create(SinkSpec spec) {
        return switch (spec.type()) {
            case "console" -> new ConsoleSink(spec.name(), System.out, spec.<Double>get("sample-rate"));
            case "metrics" -> new MetricsSink(spec.name());
            default -> throw new IllegalArgumentException("unknown sink type '" + spec.type() + "'; allowed: "
                + String.join(", ", SinkCatalog.types()));
        };
    }

    /** How a sink that delivers from its own buffer holds, batches and retries, from its declaration. */
    static BufferSettings buffer(SinkSpec spec) {
        return BufferSettings.builder()
            .overflow(spec.<Overflow>get("overflow"))
            .bufferEvents(spec.integer("buffer-events"))
            .flushEvents(spec.integer("flush-events"))
            .flushInterval(spec.duration("flush-interval"))
            .retry(spec.duration("retry-initial"), spec.duration("retry-max"))
            .drainTimeout(spec.duration("drain-timeout"))
            .build();
    }
}
