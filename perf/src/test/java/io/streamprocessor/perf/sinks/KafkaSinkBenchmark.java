package io.streamprocessor.perf.sinks;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.kafka.KafkaKey;
import io.streamprocessor.connectors.kafka.KafkaSink;
import io.streamprocessor.connectors.kafka.KafkaSinkSettings;
import io.streamprocessor.connectors.kafka.KafkaTestBroker;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events per second from a processor's pipeline through the Kafka sink ({@link BufferedSink} and
 * its {@code KafkaWriter}) to a real broker started in this JVM (KRaft, one node, log in a
 * temporary directory): the producer thread claims 64 slots at a time fire-and-forget, as the
 * HTTP decoder does for a batch, and waits only when the sink's buffer refuses (back-pressure),
 * so the rate is the sink's. The score is events acknowledged by the broker per second over the
 * measured seconds, after warm-up; at the end the topic's offsets are checked to hold at least
 * every event counted.
 *
 * <p>{@code --mode producer} measures the ceiling below the sink on the same machine: one
 * {@link KafkaProducer} with the sink's properties sending the same lines, pre-encoded, in writes
 * of 10,000 records each followed by a flush, as the sink's writer does, without the pipeline.
 *
 * <p>Run with {@code perf/run-kafka-bench.sh [options]}: {@code --seconds N} (20) measured after
 * {@code --warmup N} (10), {@code --partitions N} (4), {@code --key source|type|id|none}
 * (source), {@code --mode sink|producer} (sink), {@code --flush-events N} (10000), and any
 * producer property as {@code name=value} (e.g. {@code linger.ms=20 compression.type=lz4}).
 * The broker, the pipeline and the sink share the machine's cores: on 2 cores the number is a
 * floor for a broker on its own host.
 */
public final class KafkaSinkBenchmark {
    private static final int CLAIM = 64;
    private static final String TOPIC = "bench";

    private KafkaSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int warmup = 10;
        int partitions = 4;
        int flushEvents = 10_000;
        String mode = "sink";
        KafkaKey key = KafkaKey.SOURCE;
        Map<String, String> producer = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--flush-events" -> flushEvents = Integer.parseInt(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--key" -> key = KafkaKey.ofConfigName(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    producer.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        System.err.println("load before: " + loadAverage());
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            broker.createTopic(TOPIC, partitions);
            KafkaSinkSettings settings = KafkaSinkSettings.builder().bootstrapServers(broker.bootstrapServers())
                .topic(TOPIC).key(key).producer(producer).build();
            System.out.println("kafka " + mode + " benchmark: " + partitions + " partitions, key " + key.configName()
                + ", producer overrides " + producer + ", " + warmup + " s warm-up, " + seconds + " s measured");
            Result r = mode.equals("producer")
                ? producerOnly(settings, warmup, seconds, flushEvents)
                : throughSink(settings, warmup, seconds, flushEvents);
            long[] topic = recordsIn(broker.bootstrapServers(), partitions);
            if (topic[0] < r.total) {
                throw new IllegalStateException("the topic holds " + topic[0] + " records, fewer than the " + r.total + " counted");
            }
            System.out.printf(Locale.ROOT, "%s: %,.0f events/s, %.1f MB/s of JSON lines (%d bytes per line); "
                    + "%,d events acknowledged in all, %,d records in the topic%n",
                mode, r.eventsPerSecond, r.eventsPerSecond * topic[1] / 1e6, topic[1], r.total, topic[0]);
        }
        System.err.println("load after: " + loadAverage());
    }

    private record Result(double eventsPerSecond, long total) {
    }

    /** The pipeline and the sink: the producer publishes as fast as the sink's buffer admits. */
    private static Result throughSink(KafkaSinkSettings settings, int warmup, int seconds, int flushEvents) throws Exception {
        BufferedSink sink = KafkaSink.create("kafka", settings,
            BufferSettings.builder().flushEvents(flushEvents).build());
        StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start();
        Events events = new Events();
        AtomicLong refused = new AtomicLong();
        Thread feeder = new Thread(() -> {
            Ingestor in = p.newIngestor();
            while (!Thread.currentThread().isInterrupted()) {
                if (!in.claim(CLAIM, null)) {
                    refused.incrementAndGet();
                    LockSupport.parkNanos(20_000);
                    continue;
                }
                long now = System.currentTimeMillis();
                for (int i = 0; i < CLAIM; i++) {
                    events.write(in.slot(i), now);
                }
                in.publish();
            }
        }, "bench-feeder");
        feeder.start();
        TimeUnit.SECONDS.sleep(warmup); // warm-up, not a wait for an outcome
        long w0 = sink.status().written();
        Map<String, Long> cpu0 = cpuByRole();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long w1 = sink.status().written();
        long t1 = System.nanoTime();
        printCpu(cpu0, cpuByRole(), t1 - t0, w1 - w0);
        feeder.interrupt();
        feeder.join();
        p.close();
        SinkStatus s = sink.status();
        if (s.failed() != 0 || s.dropped() != 0) {
            throw new IllegalStateException("the sink failed " + s.failed() + " times and dropped " + s.dropped()
                + " events: " + s.lastError());
        }
        System.out.printf(Locale.ROOT, "feeder refused by back-pressure %,d times (the sink was the bottleneck)%n", refused.get());
        return new Result((w1 - w0) * 1e9 / (t1 - t0), s.written());
    }

    /** The client and broker alone: pre-encoded lines, writes of {@code flushEvents} records each followed by a flush. */
    private static Result producerOnly(KafkaSinkSettings settings, int warmup, int seconds, int flushEvents) {
        byte[][] lines = new Events().lines(4096);
        byte[][] keys = new byte[64][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("web-" + (i / 16) + "-node-" + i).getBytes(StandardCharsets.UTF_8);
        }
        long total = 0;
        long measured = 0;
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long t0 = 0;
        Map<String, Long> cpu0 = Map.of();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producerProperties("bench"))) {
            long now;
            while ((now = System.nanoTime()) < end) {
                if (t0 == 0 && now >= measureFrom) {
                    t0 = now;
                    cpu0 = cpuByRole();
                }
                for (int i = 0; i < flushEvents; i++) {
                    byte[] line = lines[(int) ((total + i) & 4095)];
                    producer.send(new ProducerRecord<>(TOPIC, null, System.currentTimeMillis(), keys[(int) ((total + i) & 63)],
                        line.clone()));
                }
                producer.flush();
                total += flushEvents;
                if (t0 != 0) {
                    measured += flushEvents;
                }
            }
            long t1 = System.nanoTime();
            printCpu(cpu0, cpuByRole(), t1 - t0, measured);
            return new Result(measured * 1e9 / (t1 - t0), total);
        }
    }

    /** CPU time so far of this JVM's threads, ns, summed by what they do. */
    private static Map<String, Long> cpuByRole() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byRole = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns > 0) {
                byRole.merge(role(t.getThreadName()), ns, Long::sum);
            }
        }
        return byRole;
    }

    private static String role(String thread) {
        if (thread.startsWith("sp-sink-")) {
            return "sink thread (BufferedSink + KafkaWriter: batch, records, producer.send, flush)";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer I/O thread (requests, responses, completing futures)";
        }
        if (thread.matches("sp\\d+-.*")) {
            return "pipeline stage threads (validate, window, sink encode into the buffer, completion)";
        }
        if (thread.equals("bench-feeder") || thread.equals("main")) {
            return "feeder (writes events into claimed slots; in producer mode: sends)";
        }
        if (thread.startsWith("data-plane-kafka") || thread.contains("kafka-") || thread.contains("broker")
            || thread.contains("raft") || thread.contains("quorum") || thread.contains("Log") || thread.contains("Replica")) {
            return "broker threads";
        }
        return "other (JIT, GC not included, JFR, ...)";
    }

    private static void printCpu(Map<String, Long> before, Map<String, Long> after, long nanos, long events) {
        System.out.printf(Locale.ROOT, "CPU while measured (cores busy, and microseconds per event), GC threads not counted:%n");
        double total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double ns = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += ns;
            System.out.printf(Locale.ROOT, "  %5.2f cores  %6.2f us/event  %s%n", ns / nanos, ns / 1e3 / events, e.getKey());
        }
        System.out.printf(Locale.ROOT, "  %5.2f cores  %6.2f us/event  all threads above%n", total / nanos, total / 1e3 / events);
    }

    /** Records in the topic (the sum of its end offsets), and the size of its first record's value. */
    private static long[] recordsIn(String servers, int partitions) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(i -> new TopicPartition(TOPIC, i)).toList();
            long records = c.endOffsets(tps, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    return new long[] {records, r.value().length};
                }
            }
            throw new IllegalStateException("no record could be read back from the topic");
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Events of a realistic shape written into claimed slots without allocating: 8 types, 64
     * sources, a {@code data.value} and a {@code data.region}; about 200 bytes as a JSON line.
     */
    private static final class Events {
        private static final char[][] TYPE = chars("page_view", "click", "purchase", "signup", "error", "api_call",
            "search", "logout");
        private static final char[][] REGION = chars("eu-west-1", "us-east-1", "ap-south-1", "sa-east-1");
        private static final char[] VALUE = "value".toCharArray();
        private static final char[] REGION_NAME = "region".toCharArray();
        private final char[][] source = new char[64][];
        private long n;

        Events() {
            for (int i = 0; i < source.length; i++) {
                source[i] = ("web-" + (i / 16) + "-node-" + i).toCharArray();
            }
        }

        void write(EventWriter slot, long now) {
            long i = n++;
            char[] type = TYPE[(int) (i & 7)];
            char[] src = source[(int) ((i >>> 3) & 63)];
            char[] region = REGION[(int) ((i >>> 9) & 3)];
            slot.type(type, 0, type.length).source(src, 0, src.length).timestamp(now);
            slot.data().startObject()
                .name(VALUE, 0, VALUE.length).number(i % 100_000)
                .name(REGION_NAME, 0, REGION_NAME.length).string(region, 0, region.length)
                .endObject();
        }

        /** Lines of the same shape and size as the sink sends, for the producer-only run. */
        byte[][] lines(int count) {
            byte[][] out = new byte[count][];
            long now = System.currentTimeMillis();
            for (int k = 0; k < count; k++) {
                out[k] = ("{\"id\":\"evt_" + Long.toHexString(now) + "_" + k + "\",\"type\":\"" + new String(TYPE[k & 7])
                    + "\",\"source\":\"" + new String(source[(k >>> 3) & 63]) + "\",\"timestamp\":" + now
                    + ",\"receivedAt\":" + now + ",\"data\":{\"value\":" + k + ",\"region\":\""
                    + new String(REGION[(k >>> 9) & 3]) + "\"}}").getBytes(StandardCharsets.UTF_8);
            }
            return out;
        }

        private static char[][] chars(String... words) {
            char[][] out = new char[words.length][];
            for (int i = 0; i < words.length; i++) {
                out[i] = words[i].toCharArray();
            }
            return out;
        }
    }
}
