package io.streamprocessor.perf.engine;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * What every live thread of the JVM spent since {@link #start()}: bytes allocated
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) and CPU time
 * ({@code getThreadCpuTime}), the producer and the stage threads alike. CPU time counts only what
 * a thread ran, so on a shared machine it varies far less than a rate does. A thread started since
 * counts from zero; a thread that ended since is lost, so read before stopping the threads of
 * interest. Not thread-safe.
 */
public final class ThreadCost {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> bytesBefore;
    private final Map<Long, Long> cpuBefore;

    private ThreadCost(Map<Long, Long> bytesBefore, Map<Long, Long> cpuBefore) {
        this.bytesBefore = bytesBefore;
        this.cpuBefore = cpuBefore;
    }

    /** Takes every live thread's allocated bytes and CPU time now. */
    public static ThreadCost start() {
        return new ThreadCost(allocatedNow(), cpuNow());
    }

    /** Bytes allocated by the JVM's threads since {@link #start()}. */
    public long bytes() {
        return sum(allocatedNow(), bytesBefore);
    }

    /** Bytes allocated by the thread {@code threadId} since {@link #start()}; 0 when it was not seen both times. */
    public long bytes(long threadId) {
        return one(allocatedNow(), bytesBefore, threadId);
    }

    /** CPU time, in nanoseconds, of the JVM's threads since {@link #start()}. */
    public long cpuNanos() {
        return sum(cpuNow(), cpuBefore);
    }

    /** CPU time, in nanoseconds, of the thread {@code threadId} since {@link #start()}; 0 when it was not seen both times. */
    public long cpuNanos(long threadId) {
        return one(cpuNow(), cpuBefore, threadId);
    }

    private static long sum(Map<Long, Long> now, Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> t : now.entrySet()) {
            total += t.getValue() - before.getOrDefault(t.getKey(), 0L);
        }
        return total;
    }

    private static long one(Map<Long, Long> now, Map<Long, Long> before, long threadId) {
        Long a = now.get(threadId);
        Long b = before.get(threadId);
        return a == null || b == null ? 0 : a - b;
    }

    private static Map<Long, Long> allocatedNow() {
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

    private static Map<Long, Long> cpuNow() {
        Map<Long, Long> out = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                out.put(id, nanos);
            }
        }
        return out;
    }
}
