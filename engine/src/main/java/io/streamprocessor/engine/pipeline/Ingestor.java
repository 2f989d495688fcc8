package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.streamprocessor.engine.event.EventWriter;

import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A producer's handle on the ring: claim {@code n} slots at once without blocking, write the
 * events into them, then publish them together (or publish them void if the input turned out
 * malformed, so no stage counts them).
 *
 * <pre>{@code
 * if (!ingestor.claim(1, request)) { ...answer "busy, retry"... }
 * ingestor.slot(0).type("metric").source("web-1").data().startObject().name("value").number(95.5).endObject();
 * ingestor.publish();
 * }</pre>
 *
 * <p>Not thread-safe: one per producer thread (the ring itself takes many producers). Between
 * {@link #claim} and {@link #publish}/{@link #publishVoid} the claimed slots hold back every
 * stage, so that window must be short, must always end in one of the two, on the thread that
 * claimed. With {@link ProcessorSettings#singleProducer()} the window is also a turn that other
 * producers wait for, and a thread may hold one claim at a time, of all its ingestors.
 */
public final class Ingestor {
    private final RingBuffer<Slot> ring;
    private final StreamProcessor processor;
    private final Clock clock;
    /** The processor's producers' lock when its ring has a single-producer sequencer; null otherwise. */
    private final ReentrantLock turn;
    private long lo;
    private long hi = -1;
    private int claimed;
    private static final String FULL = "pipeline full, retry later";
    private String refusal;

    Ingestor(RingBuffer<Slot> ring, StreamProcessor processor, Clock clock, ReentrantLock turn) {
        this.ring = ring;
        this.processor = processor;
        this.clock = clock;
        this.turn = turn;
    }

    /**
     * Claims {@code n} consecutive slots and prepares them for {@code request} (which may be null
     * for fire-and-forget). Returns false at once, claiming nothing, when the ring has fewer than
     * {@code n} free slots or the processor is not running.
     *
     * @throws IllegalStateException when the previous claim was not published, or, with a
     *                               single-producer ring, when this thread holds a claim of another ingestor
     */
    public boolean claim(int n, IngestRequest request) {
        return claim(n, request, System.nanoTime());
    }

    /**
     * As {@link #claim(int, IngestRequest)}, with the caller's {@link System#nanoTime()} of the
     * request's arrival, from which processing latency is measured.
     */
    public boolean claim(int n, IngestRequest request, long arrivalNanos) {
        if (claimed != 0) {
            throw new IllegalStateException("previous claim of " + claimed + " slots not published");
        }
        if (n <= 0 || n > ring.getBufferSize()) {
            refusal = "more events than the pipeline holds";
            return false;
        }
        String busy = processor.refusal();
        if (busy != null) {
            refusal = busy;
            return false;
        }
        String sink = processor.sinkRefusing(n);
        if (sink != null) {
            refusal = "sink " + sink + " is behind, retry later";
            processor.backpressure().refused(refusal);
            return false;
        }
        if (turn != null) {
            if (turn.isHeldByCurrentThread()) {
                // Publishing the later claim first would publish the earlier one's unwritten slots.
                throw new IllegalStateException("this thread holds an unpublished claim of another ingestor");
            }
            turn.lock();
        }
        try {
            hi = ring.tryNext(n);
        } catch (InsufficientCapacityException e) {
            endTurn();
            refusal = FULL;
            processor.backpressure().refused(refusal);
            return false;
        }
        processor.backpressure().taken();
        lo = hi - n + 1;
        claimed = n;
        long receivedAt = clock.millis();
        long position = processor.positionBase() + lo;
        if (request != null) {
            request.reset(n, arrivalNanos);
        }
        for (int i = 0; i < n; i++) {
            ring.get(lo + i).begin(request, i, receivedAt, arrivalNanos, position + i);
        }
        return true;
    }

    /**
     * Why the last {@link #claim} returned false, in words for a client, e.g.
     * {@code pipeline full, retry later}, {@code sink file is behind, retry later} or
     * {@code no space left for the journal, retry later}.
     */
    public String refusal() {
        return refusal;
    }

    /** The writer of the i-th claimed slot's event. */
    public EventWriter slot(int i) {
        return ring.get(lo + i).event.writer();
    }

    /** Number of slots currently claimed (0 after publishing). */
    public int claimed() {
        return claimed;
    }

    /** Publishes the claimed slots to the stages. */
    public void publish() {
        if (claimed == 0) {
            return;
        }
        claimed = 0;
        ring.publish(lo, hi);
        endTurn();
        processor.afterPublish();
    }

    private void endTurn() {
        if (turn != null) {
            turn.unlock();
        }
    }

    /** Publishes the claimed slots as void: every stage skips them and no request is completed. */
    public void publishVoid() {
        if (claimed == 0) {
            return;
        }
        for (long s = lo; s <= hi; s++) {
            ring.get(s).markVoid();
        }
        claimed = 0;
        ring.publish(lo, hi);
        endTurn();
        processor.afterPublish();
    }
}
