package io.streamprocessor.connectors.kafka;

import io.streamprocessor.connectors.EventBatch;
import io.streamprocessor.connectors.SinkWriter;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * Publishes batches of events to one Kafka topic with kafka-clients' {@link KafkaProducer}: each
 * event a record whose value is its JSON line (what the console sink prints), whose key is the
 * field {@link KafkaSinkSettings#key()} names, and whose timestamp is the event's
 * {@code receivedAt}. A write sends every record, flushes, and returns only once the brokers have
 * acknowledged all of them (by default from all in-sync replicas); otherwise it throws, saying in
 * words what is wrong with the cluster or the topic.
 *
 * <p>Retries. When a write fails, its {@link io.streamprocessor.connectors.BufferedSink} retries
 * the same batch (with any events that joined it since appended). This writer then resends from
 * the first event the brokers did not acknowledge, not the whole batch: the events before it are
 * known to be stored, and resending everything after it keeps each key's events in order (an
 * acknowledged event after the first failure may be stored twice: delivery is at least once).
 * A checksum of the acknowledged prefix guards this: if the batch is not the one that failed,
 * everything is sent again.
 *
 * <p>Threads: used by the sink's own thread only; not thread-safe. An interrupt (shutdown giving
 * up on a dead cluster) ends a write at once, as a failure.
 */
public final class KafkaWriter implements SinkWriter {
    private final String topic;
    private final KafkaKey key;
    private final Map<String, Object> properties;
    private final KafkaTrouble trouble;
    private final String target;
    private final String servers;
    /** What was wrong with the cluster at the last failed write; null after a success. */
    private String problem;
    private KafkaProducer<byte[], byte[]> producer;
    @SuppressWarnings("unchecked")
    private Future<RecordMetadata>[] acks = new Future[1024];

    // after a failed write: which batch, from which event to resend, and a checksum of the lines before it
    private EventBatch retryBatch;
    private int retryFrom;
    private long retryChecksum;
    private final CRC32C crc = new CRC32C();
    /** Records of the current write that failed, counted by the producer's I/O thread. */
    private final AtomicInteger failures = new AtomicInteger();
    private final Callback countFailure = (metadata, exception) -> {
        if (exception != null) {
            failures.incrementAndGet();
        }
    };

    /** A writer for the sink named {@code sinkName} (its producer's {@code client.id} says so). */
    public KafkaWriter(String sinkName, KafkaSinkSettings settings) {
        this.topic = settings.topic();
        this.key = settings.key();
        this.properties = settings.producerProperties(sinkName);
        this.trouble = new KafkaTrouble(settings, properties);
        this.servers = settings.bootstrapServers();
        this.target = "kafka topic " + topic + " at " + servers;
    }

    @Override
    public void open() {
        // connects lazily: a dead cluster shows in the first write, not here
        producer = new KafkaProducer<>(properties);
    }

    @Override
    public void write(EventBatch batch) throws IOException {
        try {
            send(batch);
            problem = null;
        } catch (InterruptException | InterruptedException e) {
            // shutdown gave up on the cluster: say what was wrong with it, not that we were interrupted
            Thread.currentThread().interrupt();
            throw new IOException(problem != null ? problem + "; shutdown stopped waiting"
                : "shutdown stopped waiting for kafka at " + servers + " to acknowledge");
        }
    }

    private void send(EventBatch batch) throws IOException, InterruptedException {
        int n = batch.size();
        int from = resumePoint(batch);
        retryBatch = null;
        if (acks.length < n) {
            acks = Arrays.copyOf(acks, Math.max(n, acks.length * 2));
        }
        int sent = from;
        Throwable failure = null;
        failures.set(0);
        try {
            while (sent < n) {
                Future<RecordMetadata> ack = producer.send(record(batch, sent), countFailure);
                acks[sent++] = ack;
                if (ack.isDone() && failedAlready(ack)) {
                    // refused before it was sent (metadata did not come within max.block.ms, the record is too
                    // large, ...): the rest would only wait and fail the same way, each on its own
                    break;
                }
            }
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // the producer's buffer stayed full for max.block.ms, or the producer failed for good
            failure = e;
        }
        int firstFailed = sent;
        try {
            producer.flush();
            // the futures are looked at only when something failed: on success there is nothing to find
            for (int i = from; i < sent && failures.get() > 0; i++) {
                try {
                    acks[i].get();
                } catch (ExecutionException e) {
                    firstFailed = i;
                    failure = e.getCause();
                    break;
                }
            }
        } finally {
            Arrays.fill(acks, from, sent, null);
        }
        if (failure == null) {
            return;
        }
        remember(batch, firstFailed);
        problem = trouble.describe(failure);
        throw new IOException(problem + " (" + (n - firstFailed) + " of " + n + " events of the write not acknowledged)");
    }

    /** Whether a completed send failed. */
    private static boolean failedAlready(Future<RecordMetadata> ack) throws InterruptedException {
        try {
            ack.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private ProducerRecord<byte[], byte[]> record(EventBatch batch, int i) {
        int start = batch.lineStart(i);
        byte[] value = Arrays.copyOfRange(batch.array(), start, start + batch.lineLength(i));
        byte[] k = switch (key) {
            case SOURCE -> batch.sourceBytes(i);
            case TYPE -> batch.type(i).getBytes(StandardCharsets.UTF_8);
            case ID -> batch.id(i).getBytes(StandardCharsets.UTF_8);
            case NONE -> null;
        };
        return new ProducerRecord<>(topic, null, batch.receivedAt(i), k, value);
    }

    /** Where to start sending {@code batch}: after the acknowledged prefix if it is the batch that failed, else 0. */
    private int resumePoint(EventBatch batch) {
        if (batch != retryBatch || retryFrom == 0 || batch.size() <= retryFrom) {
            return 0;
        }
        return checksum(batch, retryFrom) == retryChecksum ? retryFrom : 0;
    }

    private void remember(EventBatch batch, int firstFailed) {
        retryBatch = batch;
        retryFrom = firstFailed;
        retryChecksum = checksum(batch, firstFailed);
    }

    /** Checksum of the lines of events {@code 0..upTo-1} (they lie one after another from 0). */
    private long checksum(EventBatch batch, int upTo) {
        crc.reset();
        crc.update(batch.array(), 0, upTo < batch.size() ? batch.lineStart(upTo) : batch.bytes());
        return crc.getValue();
    }

    /**
     * Closes the producer at once: after a success nothing is pending, and after a failure what is
     * still pending is given up (the batch will be sent again).
     */
    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        if (p == null) {
            return;
        }
        // an interrupt (shutdown giving up) must not cut the producer's own shutdown short
        boolean interrupted = Thread.interrupted();
        try {
            p.close(Duration.ZERO);
        } catch (KafkaException ignored) {
            // the producer's threads are stopped all the same
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String target() {
        return target;
    }
}
