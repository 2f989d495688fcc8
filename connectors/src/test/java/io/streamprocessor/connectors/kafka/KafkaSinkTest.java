package io.streamprocessor.connectors.kafka;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink against a real broker (KRaft, in this JVM): what lands in the topic, record by
 * record, and what the sink says when the topic is missing or a record cannot be sent.
 */
class KafkaSinkTest {
    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static KafkaSinkSettings.Builder settings(String topic) {
        // a missing broker or topic shows within a second, not five
        return KafkaSinkSettings.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
            .producer("max.block.ms", "1000");
    }

    private static BufferSettings.Builder buffer() {
        return BufferSettings.builder().flushEvents(64).retry(Duration.ofMillis(50), Duration.ofMillis(500))
            .drainTimeout(Duration.ofSeconds(20));
    }

    @Test
    void everyEventBecomesARecordOfItsJsonLineKeyedBySourceInOrderPerSource() throws Exception {
        broker.createTopic("events", 3);
        Feed feed = new Feed(5);
        BufferedSink sink = KafkaSink.create("kafka", settings("events").build(), buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(300, feed.send(p, 0, 150, 1).size() + feed.send(p, 150, 300, 10).size());
        }
        SinkStatus status = sink.status();
        assertEquals(300, status.written());
        assertEquals(0, status.failed());
        assertEquals(0, status.dropped());

        List<ConsumerRecord<String, String>> records = broker.readAll("events");
        assertEquals(300, records.size(), "one record per event, none twice");
        Map<String, List<Integer>> bySource = new HashMap<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            String value = r.value();
            int i = Integer.parseInt(value.substring("{\"id\":\"e".length(), value.indexOf('"', 8)));
            assertEquals(feed.line(i), Feed.withoutReceivedAt(value), "the record's value is the event's line");
            assertEquals(feed.source(i), r.key(), "keyed by source");
            assertEquals(Feed.receivedAt(value), r.timestamp(), "the record's time is when the event was received");
            assertEquals(partitionOf.computeIfAbsent(r.key(), k -> r.partition()), r.partition(), "one partition per source");
            bySource.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(i);
        }
        assertEquals(5, bySource.size());
        assertTrue(partitionOf.values().stream().distinct().count() > 1, "sources spread over partitions: " + partitionOf);
        for (int s = 0; s < 5; s++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = s; i < 300; i += 5) {
                expected.add(i);
            }
            assertEquals(expected, bySource.get("s-" + s), "source s-" + s + " in the order sent");
        }
    }

    @Test
    void theKeyCanBeTheTypeTheIdOrNothing() throws Exception {
        Feed feed = new Feed(3);
        for (KafkaKey key : List.of(KafkaKey.TYPE, KafkaKey.ID, KafkaKey.NONE)) {
            String topic = "keyed-by-" + key.configName();
            broker.createTopic(topic, 1);
            BufferedSink sink = KafkaSink.create("kafka", settings(topic).key(key).build(), buffer().build());
            try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
                feed.send(p, 0, 20, 5);
            }
            List<ConsumerRecord<String, String>> records = broker.readAll(topic);
            assertEquals(20, records.size(), topic);
            for (int i = 0; i < 20; i++) {
                ConsumerRecord<String, String> r = records.get(i);
                assertEquals(feed.line(i), Feed.withoutReceivedAt(r.value()), topic);
                switch (key) {
                    case TYPE -> assertEquals("metric", r.key());
                    case ID -> assertEquals("e" + i, r.key());
                    default -> assertNull(r.key());
                }
            }
        }
    }

    @Test
    void aMissingTopicIsNamedAndDeliveryResumesOnceItExists() throws Exception {
        Feed feed = new Feed(2);
        BufferedSink sink = KafkaSink.create("kafka", settings("not-yet").build(), buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(10, feed.send(p, 0, 10, 1).size(), "taken into the sink's buffer");
            Feed.waitFor(20, () -> sink.status().failing(), "the sink fails");
            SinkStatus down = sink.status();
            assertTrue(down.lastError().startsWith("topic not-yet does not exist at kafka " + broker.bootstrapServers()),
                down.lastError());
            assertEquals(10, down.buffered());
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());
            assertTrue(p.health().reason().contains("topic not-yet does not exist"), p.health().reason());

            broker.createTopic("not-yet", 1);
            Feed.waitFor(20, () -> sink.status().written() == 10, "the backlog is delivered");
            assertFalse(sink.status().failing());
            assertEquals(StreamProcessor.Health.Status.HEALTHY, p.health().status());
        }
        List<ConsumerRecord<String, String>> records = broker.readAll("not-yet");
        List<String> lines = records.stream().map(r -> Feed.withoutReceivedAt(r.value())).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(feed.line(i));
        }
        assertEquals(expected, lines);
    }

    @Test
    void producerPropertiesPassThroughAndAnEventTheyForbidIsReportedInWords() throws Exception {
        broker.createTopic("small", 1);
        Feed feed = new Feed(1);
        // an event's record is ~300 bytes: a 200-byte limit refuses every one
        BufferedSink sink = KafkaSink.create("kafka", settings("small").producer("max.request.size", "200").build(),
            buffer().drainTimeout(Duration.ofMillis(500)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            feed.send(p, 0, 3, 3);
            Feed.waitFor(20, () -> sink.status().failing(), "the sink fails");
            String error = sink.status().lastError();
            assertTrue(error.startsWith("kafka topic small at " + broker.bootstrapServers() + ": "), error);
            assertTrue(error.contains("max.request.size"), error);
            assertTrue(error.endsWith(" events of the write not acknowledged)"), error);
        }
        assertEquals(3, sink.status().dropped(), "given up at shutdown, and counted");
        assertEquals(List.of(), broker.readAll("small"));
    }

    @Test
    void aRetriedWriteResendsFromTheFirstEventNotAcknowledgedNotTheEventsBeforeIt() throws Exception {
        broker.createTopic("resend", 1);
        // event 2 is too large for the producer: every attempt fails there, after 0 and 1 were acknowledged
        // (the flush interval has the four events of the request make one write)
        Feed feed = new Feed(1).withLargeEvent(2);
        BufferedSink sink = KafkaSink.create("kafka", settings("resend").producer("max.request.size", "600").build(),
            buffer().flushInterval(Duration.ofMillis(300)).drainTimeout(Duration.ofMillis(500)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(4, feed.send(p, 0, 4, 4).size());
            Feed.waitFor(20, () -> sink.status().failed() >= 3, "three attempts failed");
            assertTrue(sink.status().lastError().endsWith("(2 of 4 events of the write not acknowledged)"),
                sink.status().lastError());
        }
        List<String> lines = broker.readAll("resend").stream().map(r -> Feed.withoutReceivedAt(r.value())).toList();
        assertEquals(List.of(feed.line(0), feed.line(1)), lines, "the acknowledged events once each, however many retries");
    }
}
