package io.streamprocessor.engine.stats;

/**
 * Events per second over the last second, from ten 100 ms buckets. Written by one thread once
 * per batch; read under the same lock that guards the writer's batches.
 */
public final class ThroughputMeter {
    private static final int BUCKETS = 16;
    private static final long BUCKET_MILLIS = 100;
    private final long[] bucketStart = new long[BUCKETS];
    private final long[] counts = new long[BUCKETS];

    public ThroughputMeter() {
        java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
    }

    public void add(long nowMillis, long events) {
        long b = nowMillis / BUCKET_MILLIS;
        int i = (int) (b % BUCKETS);
        if (bucketStart[i] != b) {
            bucketStart[i] = b;
            counts[i] = 0;
        }
        counts[i] += events;
    }

    /** Events recorded in the ten buckets ending with the current one, i.e. about the last second. */
    public long perSecond(long nowMillis) {
        long current = nowMillis / BUCKET_MILLIS;
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long b = bucketStart[i];
            if (b > current - 10 && b <= current) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
