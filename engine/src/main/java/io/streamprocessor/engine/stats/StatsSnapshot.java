package io.streamprocessor.engine.stats;

import io.streamprocessor.engine.sink.SinkStatus;

import java.util.Map;

/**
 * Processing statistics at the time of a query. Immutable. Latencies are milliseconds from a
 * request's arrival to its events' completion.
 *
 * @param lastProcessedAt server epoch ms of the last processed event, null before any
 * @param metrics         processed events per {@code type:source}, bounded, overflow under {@code _other}
 * @param bufferSize      events held in sink buffers, not yet written (the sum of the sinks' {@code buffered})
 * @param sinks           each sink's counts and health, by name, in the order the sinks were added
 * @param ringCapacity    slots in the ring
 * @param ringUsed        slots published but not yet through every stage
 * @param recent          the latency figures over the last minute ({@link LatencyRecorder#recentSummary()})
 */
public record StatsSnapshot(
    long totalReceived,
    long totalProcessed,
    long totalFiltered,
    long totalRejected,
    long totalLate,
    long throughput,
    Long lastProcessedAt,
    Map<String, Long> metrics,
    long bufferSize,
    Map<String, SinkStatus> sinks,
    double avgProcessingTime,
    double p50,
    double p90,
    double p99,
    double p999,
    double max,
    int ringCapacity,
    long ringUsed,
    LatencySummary recent) {
}
