package io.streamprocessor.transport.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code stream_processor_http_requests_total{route,status}}: every request answered, by the route
 * it was for and the status of its answer. Bounded: {@code route} is one of the server's routes or
 * {@code other} (an unknown path, or a request refused before it was routed: malformed HTTP, a
 * body over the limit, too many request bytes in flight), and {@code status} an HTTP status code.
 *
 * <p>Thread-safe, and cheap enough for every request: after the first request of a route and
 * status, counting is one lookup in an array and one increment of the library's counter.
 */
public final class HttpRequestCounts {
    static final String NAME = "stream_processor_http_requests";
    private static final int FIRST_STATUS = 100;
    private static final int STATUSES = 500;

    private final Counter requests;
    private final String[] routes;
    /** The counter's series, by route index then status; filled as requests come. */
    private final AtomicReferenceArray<CounterDataPoint> series;

    HttpRequestCounts(PrometheusRegistry registry, List<String> routes) {
        this.routes = routes.toArray(new String[0]);
        this.series = new AtomicReferenceArray<>((routes.size() + 1) * STATUSES);
        this.requests = Counter.builder()
            .name(NAME)
            .help("HTTP requests answered, by route (or other: an unknown path, or refused before routing) and status code")
            .labelNames("route", "status")
            .withoutExemplars()
            .register(registry);
    }

    /**
     * Counts one answered request.
     *
     * @param route  index of the route in the list given at construction, or -1 for {@code other}
     * @param status the answer's status code
     */
    public void count(int route, int status) {
        int r = route < 0 || route >= routes.length ? routes.length : route;
        int s = Math.min(Math.max(status, FIRST_STATUS), FIRST_STATUS + STATUSES - 1) - FIRST_STATUS;
        int at = r * STATUSES + s;
        CounterDataPoint point = series.get(at);
        if (point == null) {
            point = requests.labelValues(r == routes.length ? "other" : routes[r], Integer.toString(s + FIRST_STATUS));
            series.set(at, point);
        }
        point.inc();
    }
}
