package io.streamprocessor.engine.window;

/**
 * What a window query selects: windows whose start is in {@code [from, to)}, of those the newest
 * {@code limit}, and optionally each window's aggregates per group ({@code groupBy}), the
 * {@code top} largest groups by count named and the rest under {@code _other}. Immutable.
 *
 * @param from    smallest window start included, epoch ms ({@link Long#MIN_VALUE}: no bound)
 * @param to      window starts before it included, epoch ms ({@link Long#MAX_VALUE}: no bound)
 * @param limit   at most this many windows, the newest (> 0; {@link Integer#MAX_VALUE}: no limit)
 * @param groupBy what to group by, or null for no groups
 * @param top     groups named per window (> 0); ignored without {@code groupBy}
 */
public record WindowQuery(long from, long to, int limit, GroupBy groupBy, int top) {
    /** Groups named per window when the query does not say. */
    public static final int DEFAULT_TOP = 10;
    /** Every window, no groups: what {@code GET /aggregations} without parameters answers. */
    public static final WindowQuery ALL = new WindowQuery(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, null, DEFAULT_TOP);

    /** What events are grouped by. */
    public enum GroupBy {
        TYPE,
        SOURCE
    }

    public WindowQuery {
        if (from > to) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, got " + limit);
        }
        if (top <= 0) {
            throw new IllegalArgumentException("top must be > 0, got " + top);
        }
    }
}
