package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.DistinctCounter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The exact distinct sources of windows taken in ascending order, counted by sliding: it keeps,
 * for each source hash of the window it is at, how many of the window's panes hold it, so that
 * moving on by one slide takes one pane's hashes out and one pane's in, instead of merging the
 * source sets of all W/S panes again. A query that rebuilds every window at once (the first
 * after start-up, or after a long pause between queries) merged each pane's sources W/S times;
 * now each pane's enter once and leave once.
 *
 * <p>Only exact pane counters can be counted: while the window holds a pane past the exact
 * limit, or the window holds more than {@code maxHashes} hashes, {@link #exact} is false and
 * the caller merges that window as before. Not thread-safe: used by one query, under the
 * window stage's lock, and dropped after it.
 */
final class SlidingSources {
    private final int panesPerWindow;
    private final int maxHashes;
    /** Per hash of the window, how many of its panes hold it. */
    private final Long2LongHashMap panesHolding = new Long2LongHashMap(0L);
    /** The counter counted for each pane of the window, by pane index modulo W/S; null for a pane without events. */
    private final DistinctCounter[] counted;
    /** First pane of the window counted now; {@link Long#MIN_VALUE} before the first. */
    private long start = Long.MIN_VALUE;
    /** Panes of the window past their exact limit, whose hashes are not known. */
    private int approximatePanes;
    /** More hashes than {@link #maxHashes} were held: nothing is counted until the next refill. */
    private boolean overflow;
    private final LongConsumer enter = hash -> panesHolding.put(hash, panesHolding.get(hash) + 1);
    private final LongConsumer leave = hash -> {
        long n = panesHolding.get(hash);
        if (n == 1) {
            panesHolding.remove(hash);
        } else {
            panesHolding.put(hash, n - 1);
        }
    };

    SlidingSources(int panesPerWindow, int maxHashes) {
        this.panesPerWindow = panesPerWindow;
        this.maxHashes = maxHashes;
        this.counted = new DistinctCounter[panesPerWindow];
    }

    /**
     * Moves to the window starting at pane {@code k}: by sliding when that is cheaper than
     * counting its panes afresh, else afresh.
     *
     * @param sources pane index to the pane's source counter, or null when the pane holds no event
     */
    void moveTo(long k, LongFunction<DistinctCounter> sources) {
        if (start == Long.MIN_VALUE || overflow || k < start || 2 * (k - start) >= panesPerWindow) {
            refill(k, sources);
            return;
        }
        for (long p = start; p < k; p++) {
            remove(p);
            add(p + panesPerWindow, sources.apply(p + panesPerWindow));
            if (overflow) {
                refill(k, sources);
                return;
            }
        }
        start = k;
    }

    /** Whether {@link #count} is the window's exact distinct count: no pane past its exact limit, not too many hashes. */
    boolean exact() {
        return approximatePanes == 0 && !overflow;
    }

    /** Distinct sources of the window; meaningful when {@link #exact}. */
    long count() {
        return panesHolding.size();
    }

    private void refill(long k, LongFunction<DistinctCounter> sources) {
        panesHolding.clear();
        Arrays.fill(counted, null);
        approximatePanes = 0;
        overflow = false;
        start = k;
        for (long p = k; p < k + panesPerWindow && !overflow; p++) {
            add(p, sources.apply(p));
        }
    }

    private void add(long pane, DistinctCounter c) {
        counted[slot(pane)] = c;
        if (c == null) {
            return;
        }
        if (c.isApproximate()) {
            approximatePanes++;
        } else {
            c.forEachExact(enter);
            if (panesHolding.size() > maxHashes) {
                overflow = true;
                panesHolding.clear();
            }
        }
    }

    private void remove(long pane) {
        int at = slot(pane);
        DistinctCounter c = counted[at];
        counted[at] = null;
        if (c == null) {
            return;
        }
        if (c.isApproximate()) {
            approximatePanes--;
        } else {
            c.forEachExact(leave);
        }
    }

    private int slot(long pane) {
        return (int) Math.floorMod(pane, (long) panesPerWindow);
    }
}
