package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.streamprocessor.engine.stats.MetricsSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The metrics of one server for {@code GET /metrics}, exposed by Prometheus' own Java client
 * library: the processor's ({@link EngineCollector}), the HTTP requests ({@link HttpRequestCounts})
 * and the JVM's ({@code jvm_*}, {@code process_*}). Written as the Prometheus text format, or as
 * OpenMetrics when the request's {@code Accept} asks for {@code application/openmetrics-text}.
 *
 * <p>Thread-safe; one scrape at a time. The processor's figures are taken by the caller, who
 * chooses how long that may wait ({@link io.streamprocessor.engine.pipeline.StreamProcessor#metricsSnapshotWithin}).
 */
public final class ServerMetrics {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
    private static final OpenMetricsTextFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpRequestCounts http;
    private final EngineCollector engine;

    /**
     * @param routes the server's routes, as their {@code route} label values, in the order
     *               {@link HttpRequestCounts#count} gets them by index
     */
    public ServerMetrics(List<String> routes) {
        this.engine = new EngineCollector();
        registry.register(this.engine);
        this.http = new HttpRequestCounts(registry, routes);
    }

    /** Where the server counts each answered request. */
    public HttpRequestCounts http() {
        return http;
    }

    /**
     * Writes every metric to {@code out} in the format {@code accept} asks for and returns that
     * format's content type, with the processor's figures from {@code processor}.
     */
    public synchronized String write(String accept, OutputStream out, MetricsSnapshot processor) throws IOException {
        engine.use(processor);
        ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : TEXT;
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricSnapshot m : Jvm.REGISTRY.scrape()) {
            all.metricSnapshot(m);
        }
        for (MetricSnapshot m : registry.scrape()) {
            all.metricSnapshot(m);
        }
        writer.write(out, all.build(), EscapingScheme.fromAcceptHeader(accept));
        return writer.getContentType();
    }

    /**
     * The JVM's metrics, in a registry of their own made once per process: they describe the whole
     * JVM, and the library keeps every registry it was given them for (and a GC listener each) for
     * the life of the process, so one per server would leak with every server started.
     */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }
}
