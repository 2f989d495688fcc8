package io.streamprocessor.perf.engine;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by every live thread of the JVM since {@link #start()}, from
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: the producer and the stage
 * threads alike. A thread started since counts from zero; a thread that ended since is lost, so
 * read {@link #bytes()} before stopping the threads of interest. Not thread-safe.
 */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> before;

    private Allocation(Map<Long, Long> before) {
        this.before = before;
    }

    /** Takes every live thread's allocated bytes now. */
    public static Allocation start() {
        return new Allocation(snapshot());
    }

    /** Bytes allocated by the JVM's threads since {@link #start()}. */
    public long bytes() {
        long total = 0;
        for (Map.Entry<Long, Long> t : snapshot().entrySet()) {
            total += t.getValue() - before.getOrDefault(t.getKey(), 0L);
        }
        return total;
    }

    /** Bytes allocated by the thread {@code threadId} since {@link #start()}; 0 when it was not seen both times. */
    public long bytes(long threadId) {
        Long now = snapshot().get(threadId);
        Long then = before.get(threadId);
        return now == null || then == null ? 0 : now - then;
    }

    private static Map<Long, Long> snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }
}
