package io.streamprocessor.engine.pipeline;

import org.agrona.collections.Long2LongCounterMap;

/**
 * Processed events per {@code type:source} pair, bounded: once {@code maxKeys} pairs are counted,
 * new pairs are counted under {@link #OTHER}. Keys pack the interned type and source ids. One
 * writer; readers hold whatever lock the writer's stage publishes under.
 */
final class MetricCounts {
    /** Key of the {@code type:source} pairs past the bound, and of events whose type or source table was full. */
    static final long OTHER = Long.MIN_VALUE;

    final Long2LongCounterMap counts = new Long2LongCounterMap(64, 0.65f, 0);
    private final int maxKeys;

    MetricCounts(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void count(int typeId, int sourceId) {
        add(key(typeId, sourceId), 1);
    }

    /** Adds {@code n} to the pair's count, or to {@link #OTHER} when the pair is new and the bound reached. */
    void add(long key, long n) {
        if (key != OTHER && counts.size() >= maxKeys && counts.get(key) == 0) {
            key = OTHER;
        }
        counts.getAndAdd(key, n);
    }

    /** The keys and their counts, side by side, as numbers only: cheap enough to take under the writer's lock. */
    record Copy(long[] keys, long[] counts) {
    }

    /** A copy of every pair's count; the caller holds the lock the writer publishes under. */
    Copy copy() {
        long[] keys = new long[counts.size()];
        long[] values = new long[keys.length];
        int[] at = {0};
        counts.forEach((key, count) -> {
            keys[at[0]] = key;
            values[at[0]++] = count;
        });
        return new Copy(keys, values);
    }

    static long key(int typeId, int sourceId) {
        if (typeId < 0 || sourceId < 0) {
            return OTHER;
        }
        return ((long) typeId << 32) | (sourceId & 0xFFFF_FFFFL);
    }

    static int typeId(long key) {
        return (int) (key >>> 32);
    }

    static int sourceId(long key) {
        return (int) key;
    }
}
