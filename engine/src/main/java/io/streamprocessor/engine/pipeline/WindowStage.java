package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.stats.Counter;
import io.streamprocessor.engine.stats.ThroughputMeter;
import io.streamprocessor.engine.window.WindowStore;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer of the windows and of the processed-event statistics. It holds
 * {@link #lock} from the start to the end of each batch, never across a wait for events, so a
 * query that takes the lock sees panes and counters between batches and holds the writer off
 * for no longer than it takes to read them.
 */
final class WindowStage implements Stage {
    /**
     * Not fair: the stage takes it again for its next batch ahead of a waiting query. A fair lock
     * let queries through sooner, but at 200 queries/s under half the maximum ingestion it held
     * the stage back so often that ingestion's p90 went from about 1 ms to 600 ms.
     */
    final ReentrantLock lock = new ReentrantLock();
    /** How long the stage waits, at most, for a woken reader to take the lock before the stage takes it back. */
    static final long HANDOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    final WindowStore windows;
    final ThroughputMeter throughput = new ThroughputMeter();
    final MetricCounts metrics;
    final Counter processed = new Counter();
    final Counter late = new Counter();
    final Counter lastProcessedAt = new Counter();
    private final Clock clock;
    private long now;
    private long batchProcessed;

    WindowStage(WindowStore windows, int maxMetricKeys, Clock clock) {
        this.windows = windows;
        this.metrics = new MetricCounts(maxMetricKeys);
        this.clock = clock;
        lastProcessedAt.set(Long.MIN_VALUE);
        lastProcessedAt.publish();
    }

    @Override
    public void onBatchStart(long batchSize) {
        if (lock.hasQueuedThreads()) {
            yieldToReader();
        }
        lock.lock();
        now = clock.millis();
        batchProcessed = 0;
    }

    /**
     * A reader queued for the lock while the last batch held it, and was woken when it was
     * released. Taking the lock straight back (the lock is not fair) would send it back to sleep,
     * batch after batch: under a flood a query waited hundreds of milliseconds for it. So the
     * stage lets the reader take the lock first, waiting at most {@link #HANDOFF_NANOS} for it to
     * be scheduled; then it queues behind the reader, which holds the lock only to read.
     */
    private void yieldToReader() {
        long deadline = System.nanoTime() + HANDOFF_NANOS;
        while (lock.hasQueuedThreads() && !lock.isLocked() && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        if (slot.verdict != Outcome.PENDING) {
            return;
        }
        EventView e = slot.event.view();
        // Counted first: the event passed the filters, so it is processed even if a custom
        // aggregation throws on it below.
        processed.increment();
        batchProcessed++;
        metrics.count(e.typeId(), e.sourceId());
        if (!windows.add(e)) {
            slot.late = true;
            late.increment();
        }
    }

    @Override
    public void onEndOfBatch() {
        if (batchProcessed > 0) {
            throughput.add(now, batchProcessed);
            lastProcessedAt.set(now);
        }
        processed.publish();
        late.publish();
        lastProcessedAt.publish();
        lock.unlock();
    }
}
