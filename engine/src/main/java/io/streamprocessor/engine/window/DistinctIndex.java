package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.DistinctCounter;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Exact distinct-source counts of the windows that end at one of the {@value #TOPS} newest panes
 * (every window holding the newest pane, and the windows a slightly late event changes after
 * they closed), kept up to date from the panes that changed instead of merging the sources of
 * every pane of every such window again.
 *
 * <p>For each source hash and each of those newest panes {@code e} (a <em>top</em>) it keeps
 * the newest pane at or before {@code e} that holds the hash, and per top a tally of hashes by
 * that pane. A window {@code [k, e]} holds exactly the hashes whose newest pane at or before
 * {@code e} is at least {@code k}, so its count is the sum of the tallies from {@code k} to
 * {@code e}. A pane only gains hashes until it is reused for a later interval, so folding in a
 * changed pane only raises those newest panes; folding is order-free and never undone. Only
 * exact pane counters can be folded: a window holding a pane past the exact limit, or whose
 * count exceeds the limit, must be merged instead (the caller checks both).
 *
 * <p>Memory is bounded: hashes no window it counts can hold are dropped when the newest pane
 * moves, and past {@code maxHashes} hashes the index gives up ({@link #valid()} false) until
 * it is rebuilt. Not thread-safe: used by queries under the window stage's lock.
 */
final class DistinctIndex implements LongConsumer {
    /** How many of the newest panes counts are kept for: windows ending at most 3 panes before the newest. */
    static final int TOPS = 4;
    private static final long NONE = Long.MIN_VALUE;
    private static final int NO_SLOT = -1;

    private final int panesPerWindow;
    /** Tallies per top, a ring over the panes its windows can hold (at least W/S + TOPS - 1). */
    private final int span;
    private final int spanMask;
    private final int maxHashes;
    private final int[] tally;
    private final Long2LongHashMap slotOf = new Long2LongHashMap(NO_SLOT);
    private long[] hashOf = new long[64];
    /** Per slot, per top (by {@code top & (TOPS - 1)}): the newest pane at or before the top holding the hash. */
    private long[] newest = new long[64 * TOPS];
    private int used;
    private long top = NONE;
    private boolean valid;
    /** The pane being folded in; read by {@link #accept}. */
    private long folding;

    DistinctIndex(int panesPerWindow, int maxHashes) {
        this.panesPerWindow = panesPerWindow;
        int needed = panesPerWindow + TOPS - 1;
        this.span = Integer.highestOneBit(needed - 1) << 1;
        this.spanMask = span - 1;
        this.maxHashes = maxHashes;
        this.tally = new int[TOPS * span];
    }

    /** False until {@link #clear} and after giving up on too many hashes; no count may be taken then. */
    boolean valid() {
        return valid;
    }

    /** The newest pane, the last of the tops. */
    long top() {
        return top;
    }

    /** The oldest pane a counted window can hold: its folded changes matter, older ones do not. */
    long oldestPane() {
        return top - panesPerWindow - TOPS + 2;
    }

    /** Whether windows ending at pane e can be counted: e is one of the tops. */
    boolean counts(long e) {
        return valid && e <= top && e > top - TOPS;
    }

    /** Empties the index for a newest pane {@code top}; the caller then folds in every pane from {@link #oldestPane()}. */
    void clear(long newTop) {
        slotOf.clear();
        used = 0;
        Arrays.fill(tally, 0);
        top = newTop;
        valid = true;
    }

    /**
     * Moves the newest pane on to {@code newTop} before the panes that changed are folded in:
     * each new top starts from what the old newest pane had (nothing has reached the panes
     * after it yet) and hashes no counted window can hold any more are dropped.
     */
    void advance(long newTop) {
        if (!valid || newTop <= top) {
            return;
        }
        int from = level(top);
        long firstNewTop = Math.max(top + 1, newTop - TOPS + 1);
        for (long e = firstNewTop; e <= newTop; e++) {
            if (level(e) != from) {
                System.arraycopy(tally, from * span, tally, level(e) * span, span);
            }
        }
        // the new panes' tallies last counted panes one span older
        if (newTop - top >= span) {
            Arrays.fill(tally, 0);
        } else {
            for (long j = top + 1; j <= newTop; j++) {
                for (int l = 0; l < TOPS; l++) {
                    tally[l * span + (int) (j & spanMask)] = 0;
                }
            }
        }
        long oldest = newTop - panesPerWindow - TOPS + 2;
        slotOf.clear();
        int kept = 0;
        for (int s = 0; s < used; s++) {
            long v = newest[s * TOPS + from];
            if (v < oldest) {
                continue;
            }
            hashOf[kept] = hashOf[s];
            System.arraycopy(newest, s * TOPS, newest, kept * TOPS, TOPS);
            for (long e = firstNewTop; e <= newTop; e++) {
                newest[kept * TOPS + level(e)] = v;
            }
            slotOf.put(hashOf[kept], kept);
            kept++;
        }
        used = kept;
        top = newTop;
    }

    /** Folds in every hash pane {@code p} counts exactly; panes older than {@link #oldestPane()} are ignored. */
    void fold(long p, DistinctCounter sources) {
        if (valid && p >= oldestPane() && p <= top) {
            folding = p;
            sources.forEachExact(this);
        }
    }

    /** One hash of the pane being folded: raises its newest pane at every top at or after that pane. */
    @Override
    public void accept(long hash) {
        if (!valid) {
            return;
        }
        int s = (int) slotOf.get(hash);
        if (s == NO_SLOT) {
            if (used == maxHashes) {
                valid = false;
                return;
            }
            s = newSlot(hash);
        }
        long p = folding;
        for (long e = Math.max(p, top - TOPS + 1); e <= top; e++) {
            int l = level(e);
            int at = s * TOPS + l;
            long m = newest[at];
            if (m < p) {
                // a tally slot older than one span has been cleared for a newer pane: nothing to take back
                if (m != NONE && m > top - span) {
                    tally[l * span + (int) (m & spanMask)]--;
                }
                newest[at] = p;
                tally[l * span + (int) (p & spanMask)]++;
            }
        }
    }

    /** Hashes whose newest pane at or before top {@code e} is pane {@code p}. */
    int tally(long e, long p) {
        return tally[level(e) * span + (int) (p & spanMask)];
    }

    /** Distinct hashes of the window holding panes {@code k} to {@code e}, e one of the tops. */
    long count(long k, long e) {
        long n = 0;
        for (long p = k; p <= e; p++) {
            n += tally(e, p);
        }
        return n;
    }

    private int newSlot(long hash) {
        if (used == hashOf.length) {
            hashOf = Arrays.copyOf(hashOf, 2 * used);
            newest = Arrays.copyOf(newest, 2 * used * TOPS);
        }
        int s = used++;
        hashOf[s] = hash;
        Arrays.fill(newest, s * TOPS, s * TOPS + TOPS, NONE);
        slotOf.put(hash, s);
        return s;
    }

    private static int level(long e) {
        return (int) (e & (TOPS - 1));
    }
}
