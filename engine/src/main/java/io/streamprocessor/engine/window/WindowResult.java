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
    Map<String, Object> custom) {

    /** Key under which types past the per-window limit are counted. */
    public static final String OTHER = "_other";
}
