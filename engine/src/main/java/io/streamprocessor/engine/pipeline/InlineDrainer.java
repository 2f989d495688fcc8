package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the whole handler chain on the threads that publish, instead of on stage threads of its
 * own: after publishing, a producer takes the drain lock if it is free and processes every
 * published slot through a Disruptor {@link EventPoller}, in batches of at most
 * {@code maxStageBatch}. A producer that finds the lock taken leaves its slots to the holder,
 * which looks again for newly published slots after letting go, so no slot is left behind.
 *
 * <p>This is the {@link Topology#INLINE} layout: no hand-off between threads at all, which is
 * what a machine with fewer cores than a threaded chain needs. Handlers must not block.
 */
final class InlineDrainer {
    private final RingBuffer<Slot> ring;
    private final EventPoller<Slot> poller;
    private final StageHandler handler;
    private final int maxStageBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final EventPoller.Handler<Slot> callback = this::onEvent;
    private int inBatch;

    InlineDrainer(RingBuffer<Slot> ring, StageHandler handler, int maxStageBatch) {
        this.ring = ring;
        this.handler = handler;
        this.maxStageBatch = maxStageBatch;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    /** Processes every slot published so far, unless another thread is already doing so. */
    void drain() {
        while (hasPublishedWork()) {
            if (!lock.tryLock()) {
                return; // the holder re-checks after unlocking, so these slots are not stranded
            }
            try {
                EventPoller.PollState state;
                do {
                    state = poller.poll(callback);
                } while (state == EventPoller.PollState.PROCESSING);
            } catch (Exception e) {
                throw new IllegalStateException("inline stage failed", e); // StageHandler lets nothing escape
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean hasPublishedWork() {
        return ring.isAvailable(poller.getSequence().get() + 1);
    }

    private boolean onEvent(Slot slot, long sequence, boolean endOfAvailable) {
        if (inBatch == 0) {
            handler.onBatchStart(0, 0);
        }
        boolean end = endOfAvailable || ++inBatch >= maxStageBatch;
        handler.onEvent(slot, sequence, end);
        if (end) {
            inBatch = 0;
        }
        return !end;
    }
}
