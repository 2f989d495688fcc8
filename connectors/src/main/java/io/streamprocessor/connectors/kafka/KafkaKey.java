package io.streamprocessor.connectors.kafka;

/**
 * Which field of an event becomes its Kafka record key, and so which events share a partition
 * and keep their order: by default the source.
 */
public enum KafkaKey {
    /** The event's {@code source}: one source's events stay in order on one partition. */
    SOURCE("source"),
    /** The event's {@code type}. */
    TYPE("type"),
    /** The event's {@code id} (generated when the client sent none): spreads events evenly. */
    ID("id"),
    /** No key: the producer fills one partition's batch at a time (best throughput, no order across partitions). */
    NONE("none");

    private final String configName;

    KafkaKey(String configName) {
        this.configName = configName;
    }

    /** The name in the configuration file: {@code source}, {@code type}, {@code id}, {@code none}. */
    public String configName() {
        return configName;
    }

    /** The key named {@code name} in the configuration file; throws naming the choices otherwise. */
    public static KafkaKey ofConfigName(String name) {
        for (KafkaKey k : values()) {
            if (k.configName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("key must be one of source, type, id, none (was \"" + name + "\")");
    }
}
