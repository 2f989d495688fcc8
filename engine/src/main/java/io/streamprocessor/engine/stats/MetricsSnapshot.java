package io.streamprocessor.engine.stats;

import io.streamprocessor.engine.sink.SinkStatus;
import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What a metrics scrape reads from the processor: the totals, the latency histogram, the ring, the
 * sinks, the windows and the processed events per {@code type:source}. Taken without building any
 * window or name, so it is cheaper than a {@link StatsSnapshot}. Immutable once handed out (the
 * histogram is a copy of the processor's).
 *
 * @param received      events received (every JSON object that arrived as an event)
 * @param processed     events that passed the filters, late ones included
 * @param filtered      events dropped by a filter or transform
 * @param rejected      events refused by validation, or by a stage that threw while deciding
 * @param late          processed events that fell only in evicted windows, so were not aggregated
 * @param latencyMicros processing latency since start, request arrival to completion, in microseconds
 * @param ringCapacity  slots in the ring
 * @param ringUsed      slots published or claimed and not yet through every stage
 * @param sinks         each sink's counts and health, by name, in the order the sinks were added
 * @param windows       windows that hold at least one event and are not evicted
 * @param typeSources   processed events per {@code type:source}, bounded as {@link StatsSnapshot#metrics()}
 */
public record MetricsSnapshot(
    long received,
    long processed,
    long filtered,
    long rejected,
    long late,
    Histogram latencyMicros,
    int ringCapacity,
    long ringUsed,
    Map<String, SinkStatus> sinks,
    int windows,
    TypeSourceCounts typeSources) {
}
