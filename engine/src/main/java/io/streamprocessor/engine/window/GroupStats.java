package io.streamprocessor.engine.window;

/**
 * The aggregates of one group (a type or a source) inside a window: like the window's own,
 * {@code avg}, {@code min}, {@code max} and the percentiles null when no event of the group
 * carried a value; the percentiles nearest-rank within 1% and never outside {@code [min, max]}.
 * Immutable.
 */
public record GroupStats(
    long count,
    long valueCount,
    double sum,
    Double avg,
    Double min,
    Double max,
    Double p50,
    Double p95,
    Double p99) {
}
