package io.streamprocessor.connectors.kafka;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;

/**
 * The {@code kafka} sink: events published to a Kafka topic by a {@link KafkaWriter} behind a
 * {@link BufferedSink}, which gives it its own bounded buffer, thread, retries and overflow policy.
 */
public final class KafkaSink {
    private KafkaSink() {
    }

    /**
     * A Kafka sink named {@code name}; call {@code start()} (the processor does) to begin
     * delivering. Producer properties Kafka does not know are passed through as given
     * ({@link KafkaSinkSettings#unknownProducerProperties()} lists them: the configuration warns of them).
     */
    public static BufferedSink create(String name, KafkaSinkSettings settings, BufferSettings buffer) {
        return new BufferedSink(name, new KafkaWriter(name, settings), buffer);
    }
}
