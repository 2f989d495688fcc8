package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.engine.stats.MetricsSnapshot;

import java.util.List;
import java.util.Map;

/**
 * The processor's metrics, computed at scrape time from one {@link MetricsSnapshot}: the engine's
 * counters and latency histogram are read, never observed a second time per event, so metrics
 * cost ingestion nothing. Every name starts with {@code stream_processor_}; docs/API.md lists them.
 *
 * <p>Thread-safe: scrapes are serialised (the {@code type:source} series keep state between them).
 */
final class EngineCollector implements MultiCollector {
    private static final String EVENTS = "stream_processor_events";
    private static final String RECEIVED = "stream_processor_events_received";
    private static final String RING_CAPACITY = "stream_processor_ring_capacity_slots";
    private static final String RING_USED = "stream_processor_ring_used_slots";
    private static final String WINDOWS = "stream_processor_windows";
    private static final String SINK_WRITTEN = "stream_processor_sink_events_written";
    private static final String SINK_FAILURES = "stream_processor_sink_write_failures";
    private static final String SINK_DROPPED = "stream_processor_sink_events_dropped";
    private static final String SINK_BUFFERED = "stream_processor_sink_events_buffered";
    private static final String SINK_FAILING = "stream_processor_sink_failing";

    private final TypeSourceSeries typeSources = new TypeSourceSeries();
    /** The processor's figures the next {@link #collect} writes; set by the scrape that runs it. */
    private MetricsSnapshot next;

    /** The processor's figures for the next {@link #collect}. */
    synchronized void use(MetricsSnapshot snapshot) {
        this.next = snapshot;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        MetricsSnapshot m = next;
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(CounterSnapshot.builder()
            .name(RECEIVED)
            .help("Events received: every JSON object that arrived as an event, whatever became of it")
            .dataPoint(counter(Labels.EMPTY, m.received()))
            .build());
        out.metricSnapshot(CounterSnapshot.builder()
            .name(EVENTS)
            .help("Events by outcome: processed (passed the filters), filtered, rejected (invalid); "
                + "late events are processed events that fell only in evicted windows, so they count in both")
            .dataPoint(counter(Labels.of("outcome", "processed"), m.processed()))
            .dataPoint(counter(Labels.of("outcome", "filtered"), m.filtered()))
            .dataPoint(counter(Labels.of("outcome", "rejected"), m.rejected()))
            .dataPoint(counter(Labels.of("outcome", "late"), m.late()))
            .build());
        out.metricSnapshot(LatencyHistogram.snapshot(m.latencyMicros()));
        out.metricSnapshot(gauge(RING_CAPACITY, "Slots in the ring", Labels.EMPTY, m.ringCapacity()));
        out.metricSnapshot(gauge(RING_USED, "Slots of the ring published or claimed and not yet through every stage",
            Labels.EMPTY, m.ringUsed()));
        out.metricSnapshot(gauge(WINDOWS, "Windows that hold at least one event and are not evicted", Labels.EMPTY,
            m.windows()));
        if (!m.sinks().isEmpty()) {
            sinks(out, m.sinks());
        }
        out.metricSnapshot(typeSources.snapshot(m.typeSources()));
        return out.build();
    }

    private static void sinks(MetricSnapshots.Builder out, Map<String, SinkStatus> sinks) {
        CounterSnapshot.Builder written = CounterSnapshot.builder().name(SINK_WRITTEN)
            .help("Events a sink delivered to its target");
        CounterSnapshot.Builder failures = CounterSnapshot.builder().name(SINK_FAILURES)
            .help("Failed attempts of a sink to deliver a batch (each is retried, so a failure loses nothing by itself)");
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name(SINK_DROPPED)
            .help("Events a sink gave up: refused by its full buffer under overflow drop, or undelivered at shutdown");
        GaugeSnapshot.Builder buffered = GaugeSnapshot.builder().name(SINK_BUFFERED)
            .help("Events a sink accepted and has not delivered yet");
        GaugeSnapshot.Builder failing = GaugeSnapshot.builder().name(SINK_FAILING)
            .help("1 while a sink's target is failing (its last attempt failed and none succeeded since), else 0");
        for (Map.Entry<String, SinkStatus> e : sinks.entrySet()) {
            Labels sink = Labels.of("sink", e.getKey());
            SinkStatus s = e.getValue();
            written.dataPoint(counter(sink, s.written()));
            failures.dataPoint(counter(sink, s.failed()));
            dropped.dataPoint(counter(sink, s.dropped()));
            buffered.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(sink).value(s.buffered()).build());
            failing.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(sink).value(s.failing() ? 1 : 0).build());
        }
        out.metricSnapshot(written.build());
        out.metricSnapshot(failures.build());
        out.metricSnapshot(dropped.build());
        out.metricSnapshot(buffered.build());
        out.metricSnapshot(failing.build());
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build())
            .build();
    }

    /** The names this collector exposes, so the registry refuses another metric by the same name. */
    @Override
    public List<String> getPrometheusNames() {
        return List.of(RECEIVED, EVENTS, LatencyHistogram.NAME, RING_CAPACITY, RING_USED, WINDOWS, SINK_WRITTEN,
            SINK_FAILURES, SINK_DROPPED, SINK_BUFFERED, SINK_FAILING, TypeSourceSeries.NAME);
    }
}
