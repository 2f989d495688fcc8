package io.streamprocessor.engine.stats;

/**
 * Processed events per {@code type:source} pair, as parallel arrays, in no particular order. The
 * pairs past the processor's bound are counted together under type and source {@code _other}.
 * Each pair also has a {@link #key} that names it for as long as the processor runs, so a reader
 * can keep what it derives from a pair (its labels, its place in a sorted list) from one snapshot
 * to the next without comparing strings.
 *
 * <p>Immutable by convention: the arrays are the snapshot's own and must not be modified.
 */
public record TypeSourceCounts(long[] keys, String[] types, String[] sources, long[] counts) {
    public int size() {
        return keys.length;
    }

    public long key(int i) {
        return keys[i];
    }

    public String type(int i) {
        return types[i];
    }

    public String source(int i) {
        return sources[i];
    }

    public long count(int i) {
        return counts[i];
    }

    /** Whether the i-th entry is {@code _other}: the pairs past the processor's bound, counted together. */
    public boolean isOther(int i) {
        return keys[i] == OTHER_KEY;
    }

    /** The key of {@code _other} (the pipeline's {@code MetricCounts.OTHER}). */
    static final long OTHER_KEY = Long.MIN_VALUE;
}
