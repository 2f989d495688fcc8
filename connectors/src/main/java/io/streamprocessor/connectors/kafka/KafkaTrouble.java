package io.streamprocessor.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Puts a failed delivery into words a user can act on. The producer reports a dead broker and a
 * missing topic alike, as "not present in metadata" or an expired batch, so on such a failure this
 * asks the cluster once more, with a short-lived admin client, whether it answers and whether the
 * topic exists. Used by the sink's thread only, and only after a failure.
 */
final class KafkaTrouble {
    /** How long the probe waits for the cluster to answer. */
    private static final int PROBE_MILLIS = 2_000;

    private final String servers;
    private final String topic;
    private final Map<String, Object> probeProperties = new HashMap<>();

    KafkaTrouble(KafkaSinkSettings settings, Map<String, Object> producerProperties) {
        this.servers = settings.bootstrapServers();
        this.topic = settings.topic();
        // the producer's connection settings (security, DNS lookup, ...) are the admin client's too
        for (Map.Entry<String, Object> e : producerProperties.entrySet()) {
            if (AdminClientConfig.configNames().contains(e.getKey())) {
                probeProperties.put(e.getKey(), e.getValue());
            }
        }
        probeProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, producerProperties.get(AdminClientConfig.CLIENT_ID_CONFIG) + "-probe");
        probeProperties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_MILLIS);
        probeProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_MILLIS);
    }

    /** What went wrong, in words: "kafka at localhost:9092 unreachable", "topic events does not exist at kafka …", … */
    String describe(Throwable failure) throws InterruptedException {
        if (failure instanceof AuthenticationException) {
            return "kafka at " + servers + " refused the sink's credentials: " + failure.getMessage();
        }
        if (failure instanceof AuthorizationException) {
            return "kafka at " + servers + " does not allow the sink to write to topic " + topic;
        }
        if (failure instanceof InvalidTopicException) {
            return "kafka at " + servers + " refuses topic " + topic + ": " + failure.getMessage();
        }
        if (failure instanceof UnknownTopicOrPartitionException) {
            return missingTopic();
        }
        if (failure instanceof RetriableException) {
            // timeouts, lost connections, no leader: is it the cluster, the topic, or only slowness?
            String probed = probe();
            if (probed != null) {
                return probed;
            }
            return "kafka at " + servers + " did not acknowledge topic " + topic + " in time (" + words(failure) + ")";
        }
        return "kafka topic " + topic + " at " + servers + ": " + words(failure);
    }

    /** The cluster's answer in words when it is the cluster or the topic that is missing; null when both are there. */
    private String probe() throws InterruptedException {
        Admin admin;
        try {
            admin = Admin.create(probeProperties);
        } catch (RuntimeException e) {
            // e.g. no address of bootstrap-servers resolves
            return "kafka at " + servers + " unreachable: " + words(e);
        }
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(PROBE_MILLIS + 500L, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return missingTopic();
            }
            if (e.getCause() instanceof RetriableException) {
                return "kafka at " + servers + " unreachable";
            }
            return "kafka at " + servers + ": " + words(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            return "kafka at " + servers + " unreachable";
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private String missingTopic() {
        return "topic " + topic + " does not exist at kafka " + servers + " (create it, or let the brokers create topics)";
    }

    private static String words(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return "no reason given";
        }
        m = m.strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
