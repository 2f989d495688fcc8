package io.streamprocessor.connectors.kafka;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.Overflow;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink when its broker is down at start, stops mid-stream and comes back, and at
 * shutdown with the broker gone: the broker is a real one in this JVM, stopped and restarted on
 * the same port.
 */
class KafkaSinkFailureTest {
    private static KafkaTestBroker broker;
    private static int topics;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** Each test leaves the broker running for the next. */
    @AfterEach
    void brokerBack() throws Exception {
        if (down) {
            broker.restart();
            down = false;
        }
    }

    private boolean down;

    private void stopBrokerNow() {
        broker.stop();
        down = true;
    }

    private void restartBroker() throws Exception {
        broker.restart();
        down = false;
    }

    private static String newTopic() throws Exception {
        String topic = "failures-" + ++topics;
        broker.createTopic(topic, 2);
        return topic;
    }

    private static KafkaSinkSettings settings(String topic) {
        // a dead broker shows within about a second
        return KafkaSinkSettings.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
            .producer(Map.of("max.block.ms", "1000", "request.timeout.ms", "1000", "delivery.timeout.ms", "2000"))
            .build();
    }

    private static BufferSettings.Builder buffer() {
        return BufferSettings.builder().flushEvents(50).retry(Duration.ofMillis(50), Duration.ofMillis(500))
            .drainTimeout(Duration.ofSeconds(30));
    }

    /** The ids of the events in the topic, each once, with how often each is there. */
    private static Map<Integer, Integer> idsIn(String topic) {
        Map<Integer, Integer> ids = new HashMap<>();
        for (ConsumerRecord<String, String> r : broker.readAll(topic)) {
            String v = r.value();
            ids.merge(Integer.parseInt(v.substring("{\"id\":\"e".length(), v.indexOf('"', 8))), 1, Integer::sum);
        }
        return ids;
    }

    @Test
    void aBrokerDownAtStartIsNamedAndEverythingIsDeliveredOnceItIsUp() throws Exception {
        String topic = newTopic();
        stopBrokerNow();
        Feed feed = new Feed(4);
        BufferedSink sink = KafkaSink.create("kafka", settings(topic), buffer().build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            List<Integer> taken = feed.send(p, 0, 100, 10);
            assertEquals(100, taken.size(), "the buffer has room: every request taken");
            Feed.waitFor(30, () -> sink.status().failed() >= 2, "attempts fail");
            SinkStatus s = sink.status();
            assertTrue(s.failing());
            assertEquals("kafka at " + broker.bootstrapServers() + " unreachable", s.lastError().substring(0, s.lastError().indexOf(" (")),
                s.lastError());
            assertEquals(StreamProcessor.Health.Status.DEGRADED, p.health().status());
            assertEquals(0, s.written());

            restartBroker();
            Feed.waitFor(30, () -> sink.status().written() == 100, "everything is delivered");
            assertFalse(sink.status().failing());
        }
        Map<Integer, Integer> ids = idsIn(topic);
        for (int i = 0; i < 100; i++) {
            assertTrue(ids.containsKey(i), "event " + i + " is in the topic");
        }
    }

    @Test
    void underBackpressureNoAcknowledgedEventIsMissingAfterTheBrokerStopsMidStreamAndComesBack() throws Exception {
        String topic = newTopic();
        Feed feed = new Feed(4);
        BufferedSink sink = KafkaSink.create("kafka", settings(topic), buffer().bufferEvents(128).build());
        List<Integer> acknowledged = new ArrayList<>();
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            acknowledged.addAll(feed.send(p, 0, 200, 10));
            Feed.waitFor(30, () -> sink.status().buffered() == 0, "the first events are delivered");

            stopBrokerNow();
            acknowledged.addAll(feed.send(p, 200, 600, 10));
            assertTrue(acknowledged.size() < 600, "a full buffer refused requests: " + acknowledged.size() + " taken");
            Feed.waitFor(30, () -> sink.status().failing(), "the sink fails");
            assertTrue(sink.status().lastError().startsWith("kafka at " + broker.bootstrapServers() + " unreachable"),
                sink.status().lastError());

            restartBroker();
            Feed.waitFor(30, () -> sink.status().buffered() == 0, "the buffer drains");
            List<Integer> after = feed.send(p, 600, 700, 10);
            assertEquals(100, after.size(), "requests are taken again");
            acknowledged.addAll(after);
        }
        SinkStatus s = sink.status();
        assertEquals(0, s.dropped());
        assertEquals(acknowledged.size(), s.written());
        Map<Integer, Integer> ids = idsIn(topic);
        for (int i : acknowledged) {
            assertTrue(ids.containsKey(i), "acknowledged event " + i + " is in the topic");
        }
        assertEquals(new HashSet<>(acknowledged), ids.keySet(), "and nothing else");
        assertOrderPerSource(topic, feed);
    }

    /** Each source's events are in the topic in the order sent, counting each event where it first appears. */
    private static void assertOrderPerSource(String topic, Feed feed) {
        Map<String, Integer> last = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : broker.readAll(topic)) {
            String v = r.value();
            int i = Integer.parseInt(v.substring("{\"id\":\"e".length(), v.indexOf('"', 8)));
            if (seen.add(i)) {
                Integer before = last.put(feed.source(i), i);
                assertTrue(before == null || before < i, "event " + i + " of " + feed.source(i) + " after " + before);
            }
        }
    }

    @Test
    void underDropTheDroppedCounterIsExactlyWhatIsMissing() throws Exception {
        String topic = newTopic();
        Feed feed = new Feed(4);
        BufferedSink sink = KafkaSink.create("kafka", settings(topic),
            buffer().overflow(Overflow.DROP).bufferEvents(64).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            assertEquals(100, feed.send(p, 0, 100, 10).size());
            Feed.waitFor(30, () -> sink.status().buffered() == 0, "the first events are delivered");
            stopBrokerNow();
            assertEquals(400, feed.send(p, 100, 500, 10).size(), "drop never refuses a request");
            Feed.waitFor(30, () -> sink.status().failing(), "the sink fails");
            restartBroker();
            Feed.waitFor(30, () -> sink.status().buffered() == 0, "the buffer drains");
        }
        SinkStatus s = sink.status();
        Map<Integer, Integer> ids = idsIn(topic);
        assertTrue(s.dropped() >= 400 - 64, "a full buffer dropped events while the broker was down: " + s.dropped());
        assertEquals(500 - ids.size(), s.dropped(), "every missing event is counted, and only those");
        assertEquals(500, s.written() + s.dropped());
    }

    @Test
    void shutdownWithADeadBrokerEndsWithinTheDrainTimeoutAndSaysWhatItCouldNotDeliver() throws Exception {
        String topic = newTopic();
        Feed feed = new Feed(4);
        BufferedSink sink = KafkaSink.create("kafka", settings(topic), buffer().drainTimeout(Duration.ofSeconds(1)).build());
        StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start();
        assertEquals(30, feed.send(p, 0, 30, 10).size());
        Feed.waitFor(30, () -> sink.status().written() == 30, "delivered while the broker is up");
        stopBrokerNow();
        assertEquals(20, feed.send(p, 30, 50, 10).size());
        Feed.waitFor(30, () -> sink.status().failing(), "the sink fails");

        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        long start = System.nanoTime();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            p.close();
        } finally {
            System.setErr(err);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 4_000, "close took " + tookMillis + " ms with a 1 s drain timeout");
        SinkStatus s = sink.status();
        assertEquals(30, s.written());
        assertEquals(20, s.dropped(), "what could not be delivered is counted");
        assertEquals(0, s.buffered());
        String stderr = said.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains(" WARN stream-processor: sink kafka: 20 events not delivered to kafka topic " + topic + " at "
            + broker.bootstrapServers() + " at shutdown (kafka at " + broker.bootstrapServers() + " unreachable"), stderr);
    }
}
