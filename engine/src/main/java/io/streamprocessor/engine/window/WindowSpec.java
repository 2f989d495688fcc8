package io.streamprocessor.engine.window;

/**
 * Size, slide and retention of the sliding event-time windows. Windows are aligned to the
 * epoch, {@code [k*slide, k*slide + size)}; {@code size} must be a multiple of {@code slide}
 * (tumbling when equal). A window is evicted once {@code end <= watermark - retention}.
 * Immutable.
 */
public record WindowSpec(long sizeMillis, long slideMillis, long retentionMillis) {
    public WindowSpec {
        if (slideMillis <= 0) {
            throw new IllegalArgumentException("window slide must be > 0 ms, got " + slideMillis);
        }
        if (sizeMillis <= 0) {
            throw new IllegalArgumentException("window size must be > 0 ms, got " + sizeMillis);
        }
        if (sizeMillis % slideMillis != 0) {
            throw new IllegalArgumentException("window slide " + slideMillis + " ms does not divide window size "
                + sizeMillis + " ms: the size must be a multiple of the slide");
        }
        if (retentionMillis < 0) {
            throw new IllegalArgumentException("window retention must be >= 0 ms, got " + retentionMillis);
        }
        if (sizeMillis / slideMillis > 100_000 || (retentionMillis + sizeMillis) / slideMillis > 10_000_000) {
            throw new IllegalArgumentException("window slide " + slideMillis
                + " ms is too small for the size and retention: too many panes to keep");
        }
    }

    /** The defaults of the API: 60 s windows every 10 s, kept 5 minutes past their end. */
    public static WindowSpec defaults() {
        return new WindowSpec(60_000, 10_000, 300_000);
    }

    /** Number of slide intervals (panes) in one window; also how many windows hold each event. */
    public int panesPerWindow() {
        return (int) (sizeMillis / slideMillis);
    }

    public boolean isTumbling() {
        return sizeMillis == slideMillis;
    }
}
