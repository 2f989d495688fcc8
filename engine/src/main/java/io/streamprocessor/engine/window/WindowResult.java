package io.streamprocessor.engine.window;

import java.util.Map;

/**
 * The aggregates of one window at the time of a query. Immutable. {@code avg}, {@code min},
 * {@code max} and the percentiles are null when no event of the window carried a value. The
 * percentiles {@code p50}, {@code p95}, {@code p99} are nearest-rank percentiles of the values
 * (the ⌈q·n⌉-th smallest), within 1% relative error and never outside {@code [min, max]}.
 *
 * @param eventsByType counts per type, largest first; overflow past the type limit under {@code _other}
 * @param custom       results of the custom aggregations by name, in registration order
 * @param groups       the aggregates per group when the query grouped, else null
 */
public record WindowResult(
    long start,
    long end,
    long count,
    long valueCount,
    double sum,
    Double avg,
    Double min,
    Double max,
    long distinctSources,
    boolean distinctSourcesApproximate,
    Map<String, Long> eventsByType,
    Double p50,
    Double p95,
    Double p99,
    Map<String, Object> custom,
    WindowGroups groups) {

    /** Key under which types past the per-window limit are counted. */
    public static final String OTHER = "_other";

    /** This window with its groups. */
    public WindowResult withGroups(WindowGroups g) {
        return new WindowResult(start, end, count, valueCount, sum, avg, min, max, distinctSources,
            distinctSourcesApproximate, eventsByType, p50, p95, p99, custom, g);
    }
}
