package io.streamprocessor.transport.http;

import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The ingestions an I/O thread has to answer, handed over by the pipeline's completion stage.
 * One task drains them in slices of at most {@link #SLICE_NANOS}; if more are waiting, the next
 * slice runs after the thread's next pass over its connections. Handing each one over as a task of its own put
 * thousands of tasks ahead of anything else the thread had to do: a new connection's
 * registration (so a health probe) waited behind every answer owed to a flood of pipelined
 * requests.
 *
 * <p>{@link #offer} from any thread; the drain runs on the I/O thread.
 */
final class Completions implements Runnable {
    /** How long one slice of answers may hold the I/O thread before other tasks get a turn. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int CAPACITY = 1 << 16;

    private final Executor loop;
    /** Runs a task on the loop after its next pass over its connections (a task scheduled with no delay). */
    private final Executor afterNextPass;
    private final LongSupplier nanoClock;
    /** Netty's own many-producer, one-consumer queue (JCTools'): array chunks, nothing allocated per offer. */
    private final Queue<Exchange> queue = PlatformDependent.newMpscQueue(CAPACITY);
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Completions(Executor loop, Executor afterNextPass, LongSupplier nanoClock) {
        this.loop = loop;
        this.afterNextPass = afterNextPass;
        this.nanoClock = nanoClock;
    }

    /** Any thread: {@code ex} is to be finished on the I/O thread. */
    void offer(Exchange ex) {
        if (!queue.offer(ex)) {
            loop.execute(ex); // never expected: more answers owed than the queue holds
            return;
        }
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** I/O thread: finishes everything waiting, however long it takes (at shutdown). */
    void drainAll() {
        Exchange ex;
        while ((ex = queue.poll()) != null) {
            ex.run();
        }
    }

    /** I/O thread: finishes what is waiting, for one slice. */
    @Override
    public void run() {
        // Cleared first: an offer that comes after the last poll below schedules the next drain itself.
        scheduled.set(false);
        long deadline = nanoClock.getAsLong() + SLICE_NANOS;
        int n = 0;
        Exchange ex;
        while ((ex = queue.poll()) != null) {
            ex.run();
            if ((++n & 31) == 0 && nanoClock.getAsLong() > deadline) {
                break;
            }
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            // Not straight back into the task queue, where the loop would run it again before reading anything:
            // the connections, new ones among them, get a pass between two slices.
            afterNextPass.execute(this);
        }
    }
}
