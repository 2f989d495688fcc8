package io.streamprocessor.connectors.kafka;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a real one-node Kafka cluster (KRaft, broker and controller in one node) running
 * in this JVM, from Kafka's own test kit, on an ephemeral port of localhost that survives
 * {@link #stop()} and {@link #restart()}. Topics are not created on first use, so a test says
 * which it needs ({@link #createTopic}). {@link #readAll} reads a topic back from its beginning.
 * Shared with transport's and perf's tests through this module's test-jar. Not thread-safe:
 * drive it from the test's thread.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;

    private KafkaTestBroker(KafkaClusterTestKit kit) {
        this.kit = kit;
        this.bootstrapServers = kit.bootstrapServers();
    }

    /** Formats and starts the node; returns once the broker takes requests. */
    public static KafkaTestBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
            // one node: every internal topic has one replica
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
            .setConfigProp("auto.create.topics.enable", "false")
            .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaTestBroker(kit);
        } catch (Exception e) {
            kit.close();
            throw e;
        }
    }

    /** {@code localhost:port} of the broker; the same after a restart. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates a topic with one replica. */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the broker (its port then refuses connections); the controller and the data stay. */
    public void stop() {
        broker().shutdown();
    }

    /** Starts the stopped broker again, on the same port; returns once it takes requests. */
    public void restart() throws Exception {
        broker().startup();
        kit.waitForReadyBrokers();
    }

    private BrokerServer broker() {
        return kit.brokers().values().iterator().next();
    }

    /**
     * Every record of the topic now, read from the beginning: partition by partition, each in the
     * partition's order. Keys and values as UTF-8 text.
     */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).sorted((a, b) -> a.partition() - b.partition()).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " not read to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? a.partition() - b.partition() : Long.compare(a.offset(), b.offset()));
        return records;
    }

    /** Stops the node and deletes its data. */
    @Override
    public void close() throws Exception {
        kit.close();
    }
}
