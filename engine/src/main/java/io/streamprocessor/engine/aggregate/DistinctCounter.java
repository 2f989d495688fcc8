package io.streamprocessor.engine.aggregate;

import org.agrona.collections.LongHashSet;
import org.apache.datasketches.hll.Union;

import java.util.function.LongConsumer;

/**
 * Counts distinct 64-bit hashes: exactly while there are at most {@code exactLimit} of them,
 * then with a HyperLogLog sketch (Apache DataSketches, lgK 14: relative standard error
 * 1.04/sqrt(2^14) = 0.81%). Counters merge with {@link #mergeFrom}, which stays exact while the
 * union stays within the limit.
 *
 * <p>Single writer; not thread-safe. Adding allocates only when the exact set grows or the counter
 * switches to the sketch.
 */
public final class DistinctCounter {
    public static final int LG_K = 14;
    private static final int RETAIN_CAPACITY = 1 << 14;

    private final int exactLimit;
    private LongHashSet exact = new LongHashSet(16);
    private Union sketch;
    private boolean approximate;

    public DistinctCounter(int exactLimit) {
        this.exactLimit = exactLimit;
    }

    public void add(long hash) {
        if (approximate) {
            sketch.update(hash);
        } else if (exact.add(hash) && exact.size() > exactLimit) {
            switchToSketch();
        }
    }

    /** Adds every value counted by {@code other}; {@code other} is unchanged. */
    public void mergeFrom(DistinctCounter other) {
        if (other.approximate) {
            switchToSketch();
            sketch.update(other.sketch.getResult());
        } else {
            LongHashSet.LongIterator it = other.exact.iterator();
            while (it.hasNext()) {
                add(it.nextValue());
            }
        }
    }

    private void switchToSketch() {
        if (approximate) {
            return;
        }
        if (sketch == null) {
            sketch = new Union(LG_K);
        }
        LongHashSet.LongIterator it = exact.iterator();
        while (it.hasNext()) {
            sketch.update(it.nextValue());
        }
        approximate = true;
        exact.clear();
    }

    public void reset() {
        if (exact.capacity() > RETAIN_CAPACITY) {
            exact = new LongHashSet(16);
        } else {
            exact.clear();
        }
        if (sketch != null) {
            sketch.reset();
        }
        approximate = false;
    }

    /** Hands every hash counted to {@code action} while the count is exact; nothing once it is approximate. */
    public void forEachExact(LongConsumer action) {
        if (!approximate) {
            exact.forEachLong(action);
        }
    }

    public boolean isApproximate() {
        return approximate;
    }

    /** The exact count, or the sketch's estimate once approximate. */
    public long estimate() {
        return approximate ? Math.round(sketch.getEstimate()) : exact.size();
    }
}
