package io.streamprocessor.connectors.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where and how a Kafka sink publishes. Immutable; checked when built, so a bad value is reported
 * when the configuration is read, naming the setting, not when the first event is sent.
 *
 * @param bootstrapServers brokers to reach the cluster through, {@code host:port[,host:port…]}
 * @param topic            the topic every event is published to
 * @param key              which field becomes the record key (default: the source)
 * @param producer         Kafka producer properties, passed through as given; they override
 *                         {@link #PRODUCER_DEFAULTS}
 */
public record KafkaSinkSettings(String bootstrapServers, String topic, KafkaKey key, Map<String, String> producer) {
    /**
     * The producer properties the sink sets unless {@link #producer} overrides them: every write
     * acknowledged by all in-sync replicas, idempotent (a retry inside the producer never
     * duplicates), batches large enough for throughput (the sink flushes at the end of each of its
     * writes, so {@code linger.ms} adds no latency to the last events of a write), lz4 compression
     * (JSON lines shrink several times, so the brokers write and acknowledge sooner: measured faster
     * than none, and far faster than zstd, in {@code KafkaSinkBenchmark}), and timeouts short enough
     * that a dead broker shows as a failed write in seconds rather than minutes.
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.LINGER_MS_CONFIG, "5",
        ProducerConfig.BATCH_SIZE_CONFIG, "262144",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000")));

    /** Properties the sink owns: records are bytes, and it neither runs transactions nor takes the brokers twice. */
    private static final Set<String> RESERVED = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

    /** Kafka's rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaSinkSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-servers must name at least one broker, host:port");
        }
        for (String server : bootstrapServers.split(",")) {
            String s = server.strip();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bootstrap-servers: \"" + s + "\" is not host:port");
            }
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic must be 1 to 249 of the characters a-z A-Z 0-9 . _ - (was \""
                + topic + "\")");
        }
        if (key == null) {
            throw new IllegalArgumentException("key must be one of source, type, id, none");
        }
        producer = Collections.unmodifiableMap(new TreeMap<>(producer == null ? Map.of() : producer));
        for (String name : producer.keySet()) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("producer." + name + " is set by the sink"
                    + (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) ? ": use bootstrap-servers" : "")
                    + (name.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG) ? ": the sink does not use transactions" : "")
                    + (name.endsWith("serializer") ? ": records are the event's JSON line and its key as bytes" : ""));
            }
        }
        try {
            new ProducerConfig(new LinkedHashMap<>(producerProperties("check", bootstrapServers, producer)));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("producer: " + e.getMessage());
        }
    }

    /** The defaults: {@code localhost:9092}, topic {@code events}, keyed by source, no producer overrides. */
    public static KafkaSinkSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Producer properties given that Kafka does not know (a typo, or a setting of a plugin): passed through all the same. */
    public Set<String> unknownProducerProperties() {
        Set<String> unknown = new java.util.TreeSet<>(producer.keySet());
        unknown.removeAll(ProducerConfig.configNames());
        return unknown;
    }

    /**
     * The properties the sink's producer is made with: {@link #PRODUCER_DEFAULTS}, then the given
     * {@link #producer} properties over them, then the brokers and the byte serializers.
     */
    public Map<String, Object> producerProperties(String sinkName) {
        return producerProperties(sinkName, bootstrapServers, producer);
    }

    private static Map<String, Object> producerProperties(String sinkName, String servers, Map<String, String> given) {
        Map<String, Object> p = new LinkedHashMap<>(PRODUCER_DEFAULTS);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "stream-processor-" + sinkName);
        String acks = given.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !acks.equals("all") && !acks.equals("-1")
            && !given.containsKey(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
            // idempotence needs acks=all: choosing fewer acks is choosing to go without it
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        }
        p.putAll(given);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Builds {@link KafkaSinkSettings}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private String bootstrapServers = "localhost:9092";
        private String topic = "events";
        private KafkaKey key = KafkaKey.SOURCE;
        private final Map<String, String> producer = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder key(KafkaKey key) {
            this.key = key;
            return this;
        }

        /** One producer property, e.g. {@code ("compression.type", "lz4")}; overrides the sink's default. */
        public Builder producer(String name, String value) {
            this.producer.put(name, value);
            return this;
        }

        public Builder producer(Map<String, String> properties) {
            this.producer.putAll(properties);
            return this;
        }

        public KafkaSinkSettings build() {
            return new KafkaSinkSettings(bootstrapServers, topic, key, producer);
        }
    }
}
