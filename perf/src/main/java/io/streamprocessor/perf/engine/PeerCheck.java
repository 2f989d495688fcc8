package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.window.WindowResult;

import java.util.List;
import java.util.Objects;

/**
 * Compares the engine's windows with the plain loop's, field by field: the same windows (start
 * and end), count, value count, sum (within 1e-9 relative: the two add in different orders),
 * min, max, exact distinct sources and counts per type. Stateless.
 */
public final class PeerCheck {
    private static final double SUM_TOLERANCE = 1e-9;

    private PeerCheck() {
    }

    /** The first difference, in words, or null when the windows are the same. */
    public static String difference(List<WindowResult> engine, PeerLoop loop) {
        List<PeerLoop.Bucket> expected = loop.windows();
        if (engine.size() != expected.size()) {
            return "engine has " + engine.size() + " windows, the loop " + expected.size();
        }
        for (int w = 0; w < engine.size(); w++) {
            WindowResult e = engine.get(w);
            PeerLoop.Bucket b = expected.get(w);
            String at = "window " + w + " [" + b.start + ", " + (b.start + loop.size()) + "): ";
            if (e.start() != b.start || e.end() != b.start + loop.size()) {
                return at + "engine has [" + e.start() + ", " + e.end() + ")";
            }
            if (e.count() != b.count || e.valueCount() != b.valueCount) {
                return at + "engine counts " + e.count() + " events, " + e.valueCount() + " values; the loop "
                    + b.count + ", " + b.valueCount;
            }
            if (Math.abs(e.sum() - b.sum) > SUM_TOLERANCE * Math.max(Math.abs(b.sum), 1)) {
                return at + "engine sums " + e.sum() + ", the loop " + b.sum;
            }
            Double min = b.valueCount == 0 ? null : b.min;
            Double max = b.valueCount == 0 ? null : b.max;
            if (!Objects.equals(e.min(), min) || !Objects.equals(e.max(), max)) {
                return at + "engine min/max " + e.min() + "/" + e.max() + ", the loop " + min + "/" + max;
            }
            if (e.distinctSourcesApproximate() || e.distinctSources() != b.sources.size()) {
                return at + "engine has " + e.distinctSources() + (e.distinctSourcesApproximate() ? " (approximate)" : "")
                    + " distinct sources, the loop " + b.sources.size();
            }
            if (!e.eventsByType().equals(b.types)) {
                return at + "engine counts types " + e.eventsByType() + ", the loop " + b.types;
            }
        }
        return null;
    }
}
