package io.streamprocessor.config.pipeline;

import io.streamprocessor.config.SinkCatalog;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.connectors.file.FileSink;
import io.streamprocessor.connectors.file.FileSinkSettings;
import io.streamprocessor.connectors.kafka.KafkaSink;
import io.streamprocessor.connectors.kafka.KafkaSinkSettings;
import io.streamprocessor.connectors.postgres.PostgresSink;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings;
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
            case "file" -> FileSink.create(spec.name(), file(spec), buffer(spec));
            case "kafka" -> KafkaSink.create(spec.name(), kafka(spec), buffer(spec));
            case "postgres" -> PostgresSink.create(spec.name(), postgres(spec), buffer(spec));
            default -> throw new IllegalArgumentException("unknown sink type '" + spec.type() + "'; allowed: "
                + String.join(", ", SinkCatalog.types()));
        };
    }

    /**
     * Checks what a declaration's settings say together, beyond each value on its own (a URL that is
     * not PostgreSQL's, a table name that is not a name), without making the sink.
     *
     * @throws IllegalArgumentException naming the setting and what is wrong
     */
    public static void check(SinkSpec spec) {
        switch (spec.type()) {
            case "file" -> file(spec);
            case "kafka" -> kafka(spec);
            case "postgres" -> postgres(spec);
            default -> buffer(spec);
        }
    }

    /** What a declaration may have wrong without being refused, in words: producer properties Kafka does not know. */
    public static java.util.List<String> warnings(SinkSpec spec) {
        if (!spec.type().equals("kafka")) {
            return java.util.List.of();
        }
        return kafka(spec).unknownProducerProperties().stream()
            .map(p -> "producer." + p + ": not a Kafka producer property; passed to the producer as given").toList();
    }

    private static FileSinkSettings file(SinkSpec spec) {
        return FileSinkSettings.builder(java.nio.file.Path.of(spec.text("path")))
            .rotateSize(spec.<Long>get("rotate-size"))
            .rotateInterval(spec.duration("rotate-interval"))
            .gzip(spec.<Boolean>get("gzip"))
            .fsync(spec.<Boolean>get("fsync"))
            .build();
    }

    private static KafkaSinkSettings kafka(SinkSpec spec) {
        return KafkaSinkSettings.builder()
            .bootstrapServers(spec.text("bootstrap-servers"))
            .topic(spec.text("topic"))
            .key(spec.get("key"))
            .producer(spec.<java.util.Map<String, String>>get("producer"))
            .build();
    }

    private static PostgresSinkSettings postgres(SinkSpec spec) {
        return PostgresSinkSettings.builder(spec.text("url"))
            .table(spec.text("table"))
            .user(spec.text("user").isEmpty() ? null : spec.text("user"))
            .passwordEnv(spec.text("password-env"))
            .method(spec.get("method"))
            .dataType(spec.get("data-type"))
            .connectTimeout(spec.duration("connect-timeout"))
            .socketTimeout(spec.duration("socket-timeout"))
            .build();
    }

    /** How a sink that delivers from its own buffer holds, batches and retries, from its declaration. */
    static BufferSettings buffer(SinkSpec spec) {
        if (!spec.settings().containsKey("overflow")) {
            return null; // a sink that writes in its callbacks
        }
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
