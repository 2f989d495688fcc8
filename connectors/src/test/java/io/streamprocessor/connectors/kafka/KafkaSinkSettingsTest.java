package io.streamprocessor.connectors.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka sink's settings: defaults, what passes through to the producer, and bad values named. */
class KafkaSinkSettingsTest {
    private static String error(KafkaSinkSettings.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void theDefaultsAreAcksAllIdempotenceAndTheSourceAsKey() {
        KafkaSinkSettings s = KafkaSinkSettings.defaults();
        assertEquals("localhost:9092", s.bootstrapServers());
        assertEquals("events", s.topic());
        assertEquals(KafkaKey.SOURCE, s.key());
        Map<String, Object> p = s.producerProperties("out");
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("localhost:9092", p.get("bootstrap.servers"));
        assertEquals("stream-processor-out", p.get("client.id"));
        assertEquals("5000", p.get("max.block.ms"), "a dead broker fails a write within seconds");
        assertEquals("lz4", p.get("compression.type"));
    }

    @Test
    void anyProducerPropertyPassesThroughAndOverridesTheDefaults() {
        KafkaSinkSettings s = KafkaSinkSettings.builder().producer("linger.ms", "20").producer("compression.type", "zstd")
            .producer(Map.of("client.id", "mine", "sasl.mechanism", "PLAIN")).build();
        Map<String, Object> p = s.producerProperties("out");
        assertEquals("20", p.get("linger.ms"));
        assertEquals("zstd", p.get("compression.type"));
        assertEquals("mine", p.get("client.id"));
        assertEquals("PLAIN", p.get("sasl.mechanism"));
        assertEquals("all", p.get("acks"), "the defaults not overridden stay");
    }

    @Test
    void fewerAcksThanAllGoWithoutIdempotenceUnlessItIsAskedFor() {
        assertEquals("false", KafkaSinkSettings.builder().producer("acks", "1").build().producerProperties("o")
            .get("enable.idempotence"));
        String e = error(KafkaSinkSettings.builder().producer("acks", "1").producer("enable.idempotence", "true"));
        assertTrue(e.startsWith("producer: ") && e.contains("acks"), e);
    }

    @Test
    void aBadProducerValueIsNamedWhenTheSettingsAreRead() {
        assertEquals("producer: Invalid value soon for configuration linger.ms: Not a number of type LONG",
            error(KafkaSinkSettings.builder().producer("linger.ms", "soon")));
        String e = error(KafkaSinkSettings.builder().producer("compression.type", "zip"));
        assertTrue(e.startsWith("producer: Invalid value zip for configuration compression.type"), e);
    }

    @Test
    void propertiesTheSinkOwnsAreRefusedWithTheReason() {
        assertEquals("producer.bootstrap.servers is set by the sink: use bootstrap-servers",
            error(KafkaSinkSettings.builder().producer("bootstrap.servers", "x:1")));
        assertEquals("producer.transactional.id is set by the sink: the sink does not use transactions",
            error(KafkaSinkSettings.builder().producer("transactional.id", "t")));
        assertEquals("producer.value.serializer is set by the sink: records are the event's JSON line and its key as bytes",
            error(KafkaSinkSettings.builder().producer("value.serializer", "x.Y")));
    }

    @Test
    void unknownPropertiesPassButAreListedAsPossibleTypos() {
        KafkaSinkSettings s = KafkaSinkSettings.builder().producer("lingr.ms", "5").producer("linger.ms", "5").build();
        assertEquals(Set.of("lingr.ms"), s.unknownProducerProperties());
        assertEquals("5", s.producerProperties("o").get("lingr.ms"));
    }

    @Test
    void brokersTopicAndKeyAreChecked() {
        assertEquals("bootstrap-servers must name at least one broker, host:port",
            error(KafkaSinkSettings.builder().bootstrapServers(" ")));
        assertEquals("bootstrap-servers: \"kafka\" is not host:port",
            error(KafkaSinkSettings.builder().bootstrapServers("a:9092,kafka")));
        assertEquals("topic must be 1 to 249 of the characters a-z A-Z 0-9 . _ - (was \"my events\")",
            error(KafkaSinkSettings.builder().topic("my events")));
        assertEquals("key must be one of source, type, id, none (was \"user\")",
            assertThrows(IllegalArgumentException.class, () -> KafkaKey.ofConfigName("user")).getMessage());
        assertEquals(KafkaKey.NONE, KafkaKey.ofConfigName("none"));
        assertEquals("b1:9092, b2:9093", KafkaSinkSettings.builder().bootstrapServers("b1:9092, b2:9093").build()
            .bootstrapServers());
    }
}
