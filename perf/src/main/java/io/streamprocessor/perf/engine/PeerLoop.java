package io.streamprocessor.perf.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plain single-threaded peer of issue 12: one bucket per sliding window, each event added to
 * each of the {@code size / slide} windows it falls in. No engine code, no tricks: what a user
 * would write in a few dozen lines. Not thread-safe; one instance per run.
 */
public final class PeerLoop {
    /** One window's aggregates; {@code min} and {@code max} are meaningful when {@code valueCount > 0}. */
    public static final class Bucket {
        final long start;
        long count;
        long valueCount;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        final Set<String> sources = new HashSet<>();
        final Map<String, Long> types = new HashMap<>();

        Bucket(long start) {
            this.start = start;
        }
    }

    private final long size;
    private final long slide;
    private final List<Bucket> buckets = new ArrayList<>();
    private long firstIndex = Long.MIN_VALUE;

    /** Windows {@code sizeMillis} wide starting every {@code slideMillis}, aligned to the epoch as the engine's are. */
    public PeerLoop(long sizeMillis, long slideMillis) {
        this.size = sizeMillis;
        this.slide = slideMillis;
    }

    /** Runs events {@code 0 .. n-1} of {@link PeerWorkload}, building each one as a user would. */
    public PeerLoop run(long n) {
        for (long i = 0; i < n; i++) {
            add(PeerWorkload.timestamp(i), PeerWorkload.type(i), PeerWorkload.source(i),
                PeerWorkload.hasValue(i), PeerWorkload.value(i));
        }
        return this;
    }

    /** Adds one event to every window holding it; event times must not go backwards by more than a window. */
    public void add(long t, String type, String source, boolean hasValue, double value) {
        long last = Math.floorDiv(t, slide);
        long first = last - size / slide + 1;
        if (firstIndex == Long.MIN_VALUE) {
            firstIndex = first;
        }
        for (long k = first; k <= last; k++) {
            int at = (int) (k - firstIndex);
            while (buckets.size() <= at) {
                buckets.add(new Bucket((firstIndex + buckets.size()) * slide));
            }
            Bucket b = buckets.get(at);
            b.count++;
            if (hasValue) {
                b.valueCount++;
                b.sum += value;
                b.min = Math.min(b.min, value);
                b.max = Math.max(b.max, value);
            }
            b.sources.add(source);
            b.types.merge(type, 1L, Long::sum);
        }
    }

    /** Non-empty windows by start ascending. */
    public List<Bucket> windows() {
        List<Bucket> out = new ArrayList<>();
        for (Bucket b : buckets) {
            if (b.count > 0) {
                out.add(b);
            }
        }
        return out;
    }

    /** Window size in milliseconds. */
    public long size() {
        return size;
    }
}
