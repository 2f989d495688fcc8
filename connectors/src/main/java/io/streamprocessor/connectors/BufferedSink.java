package io.streamprocessor.connectors;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.sink.SinkStatus;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A sink that delivers to an outside system through a {@link SinkWriter}, from its own thread and
 * bounded buffer, so a slow or dead target never stalls the pipeline or the other sinks.
 *
 * <p>On the pipeline's sink thread each event is encoded once, as its JSON line with the positions
 * of its fields, into a pre-allocated slot of a single-producer ring (an LMAX Disruptor
 * {@link RingBuffer} of {@link EncodedEvent}s, polled by the sink's thread): nothing is allocated
 * per event once the slots' arrays have grown to the lines' size. The sink's own thread
 * takes events out in batches of up to {@code flushEvents}, waiting up to {@code flushInterval}
 * for a batch to fill, and hands each batch to the writer. A failed write is retried, the same
 * batch again, after an exponential backoff with jitter, until it succeeds or shutdown gives up.
 *
 * <p>When the buffer is full the declared {@link Overflow} applies: under {@code BACKPRESSURE}
 * the processor refuses new requests while this sink {@link #admits} no more (and, should events
 * already in flight still not fit, the sink thread of the pipeline waits for room); under
 * {@code DROP} each event that does not fit is counted as dropped. At every moment each event the
 * sink accepted is written, buffered or dropped, and {@link #status} says how many of each.
 *
 * <p>Threads: the callbacks come from the pipeline's sink thread; {@link #admits} and
 * {@link #status} from any thread; {@link #start} and {@link #close} from the processor's owner.
 */
public final class BufferedSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.connectors");
    private final String name;
    private final SinkWriter writer;
    private final BufferSettings settings;
    private final RingBuffer<EncodedEvent> ring;
    private final EventPoller<EncodedEvent> poller;
    private final EventJson json = new EventJson();
    private final Thread thread;

    // counts: one writer each, read by any thread
    /** Events put into the ring (pipeline's sink thread). */
    private final AtomicLong accepted = new AtomicLong();
    /** Events refused by a full buffer under DROP, or too large for it (pipeline's sink thread). */
    private final AtomicLong refused = new AtomicLong();
    /** Events the writer delivered (sink thread). */
    private final AtomicLong written = new AtomicLong();
    /** Failed attempts (sink thread). */
    private final AtomicLong failed = new AtomicLong();
    /** Events still undelivered when shutdown gave up (closing thread, after the sink thread stopped). */
    private final AtomicLong abandoned = new AtomicLong();

    /** The ring sequence of the last event written (sink thread): every event up to it is delivered. */
    private volatile long writtenSequence = -1;
    /** Pipeline's sink thread: the ring sequence of the last event taken, published at the batch's end. */
    private long taken = -1;
    /** Sink thread: the ring sequence of the last event taken into the batch. */
    private long takenSequence = -1;

    private volatile String lastError;
    private volatile long lastErrorAt;
    private volatile boolean failing;
    private volatile boolean closing;
    private volatile boolean abandon;
    private volatile boolean parked;

    public BufferedSink(String name, SinkWriter writer, BufferSettings settings) {
        this.name = name;
        this.writer = writer;
        this.settings = settings;
        // The producer never waits on the ring (tryNext), and the consumer polls: no wait strategy runs.
        this.ring = RingBuffer.createSingleProducer(EncodedEvent::new, Integer.highestOneBit(settings.bufferEvents() - 1) << 1,
            new SleepingWaitStrategy());
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.thread = new Thread(this::deliverLoop, "sp-sink-" + name);
        this.thread.setDaemon(true);
    }

    @Override
    public String name() {
        return name;
    }

    /** The target in words, for messages. */
    public String target() {
        return writer.target();
    }

    @Override
    public void start() {
        thread.start();
    }

    // ------------------------------------------------------------------ the pipeline's side

    @Override
    public void onEvent(EventView event) {
        long seq = claim();
        while (seq < 0) {
            if (settings.overflow() == Overflow.DROP || abandon) {
                refused.lazySet(refused.get() + 1);
                return;
            }
            // Back-pressure: admission keeps this rare (events already in flight when the buffer filled);
            // wait for the sink thread to make room, unless shutdown gave up on the target.
            publishTaken();
            wakeDeliverer();
            LockSupport.parkNanos(200_000);
            seq = claim();
        }
        json.encode(event);
        ring.get(seq).set(event, json);
        taken = seq;
        accepted.lazySet(accepted.get() + 1);
    }

    /**
     * Makes the events taken so far visible to the sink's thread. Done at the end of the batch, after
     * the journal has written it, so the target never gets an event a crash could leave unjournaled
     * (except while waiting for room under back-pressure, which publishes early rather than wait on itself).
     */
    private void publishTaken() {
        if (taken > ring.getCursor()) {
            ring.publish(taken);
        }
    }

    /** The next slot of the buffer, or -1 when it holds {@code bufferEvents} already. */
    private long claim() {
        if (bufferedNow() >= settings.bufferEvents()) {
            return -1;
        }
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return -1;
        }
    }

    @Override
    public void onEndOfBatch() {
        publishTaken();
        wakeDeliverer();
    }

    private void wakeDeliverer() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** With overflow {@code journal}: full, it falls behind and the engine reads it back what it missed. */
    @Override
    public boolean catchesUpFromJournal() {
        return settings.overflow() == Overflow.JOURNAL;
    }

    /**
     * Under back-pressure: room for {@code events} more, counting those held now (with overflow
     * {@code journal} the same, which the engine asks before handing it an event). Any thread.
     */
    @Override
    public boolean admits(long events) {
        if (settings.overflow() == Overflow.DROP) {
            return true;
        }
        return bufferedNow() + events <= settings.bufferEvents();
    }

    private long bufferedNow() {
        return accepted.get() - written.get() - abandoned.get();
    }

    /**
     * The position of the first event in the buffer, not yet written: a slot is not reused before
     * the event in it is written (the buffer never holds more events than the ring has slots), so
     * it is read while the written sequence stays put. Any thread.
     */
    @Override
    public long oldestUndelivered() {
        while (true) {
            long w = writtenSequence;
            if (ring.getCursor() <= w) {
                return Long.MAX_VALUE;
            }
            long position = ring.get(w + 1).position;
            if (writtenSequence == w) {
                return position;
            }
        }
    }

    @Override
    public SinkStatus status() {
        return new SinkStatus(written.get(), failed.get(), refused.get() + abandoned.get(), Math.max(0, bufferedNow()),
            lastError, lastErrorAt, failing);
    }

    // ------------------------------------------------------------------ the sink's own thread

    private void deliverLoop() {
        EventBatch batch = new EventBatch();
        int[] room = new int[1];
        EventPoller.Handler<EncodedEvent> take = (e, sequence, endOfBatch) -> {
            batch.add(e);
            takenSequence = sequence;
            return --room[0] > 0;
        };
        Backoff backoff = new Backoff(settings.retryInitial(), settings.retryMax());
        long intervalNanos = settings.flushInterval().toNanos();
        long firstAt = 0;
        boolean open = false;
        while (!abandon) {
            room[0] = settings.flushEvents() - batch.size();
            if (room[0] > 0) {
                poll(take);
            }
            if (batch.isEmpty()) {
                if (closing) {
                    if (!hasWaiting()) {
                        break;
                    }
                    continue;
                }
                park(TimeUnit.MILLISECONDS.toNanos(100), false);
                continue;
            }
            long now = System.nanoTime();
            if (firstAt == 0) {
                firstAt = now;
            }
            boolean due = closing || batch.size() >= settings.flushEvents() || now - firstAt >= intervalNanos;
            if (!due) {
                park(Math.min(intervalNanos - (now - firstAt), TimeUnit.MILLISECONDS.toNanos(100)), false);
                continue;
            }
            try {
                if (!open) {
                    writer.open();
                    open = true;
                }
                writer.write(batch);
                written.lazySet(written.get() + batch.size());
                writtenSequence = takenSequence;
                batch.clear();
                firstAt = 0;
                backoff.reset();
                if (failing) {
                    failing = false;
                    LOG.info("stream-processor: sink {} recovered: delivering to {}", name, writer.target());
                }
            } catch (Throwable t) {
                failed.lazySet(failed.get() + 1);
                lastError = describe(t);
                lastErrorAt = System.currentTimeMillis();
                if (!failing) {
                    failing = true;
                    LOG.warn("stream-processor: sink {} failing: {}; retrying with backoff; {} events held",
                        name, lastError, accepted.get() - written.get());
                }
                open = false;
                closeWriter();
                park(TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMillis()), true);
            }
        }
        if (open) {
            closeWriter();
        }
    }

    /**
     * Waits up to {@code nanos}, or until woken by new events (unless {@code sleepThrough}, as in a
     * backoff, which only shutdown giving up cuts short).
     */
    private void park(long nanos, boolean sleepThrough) {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        do {
            parked = true;
            // Looked at again after announcing the park: an event committed just before is not slept through.
            if (sleepThrough || !hasWaiting() || closing) {
                LockSupport.parkNanos(this, left);
            }
            parked = false;
            left = deadline - System.nanoTime();
        } while (sleepThrough && left > 0 && !abandon);
    }

    private void poll(EventPoller.Handler<EncodedEvent> take) {
        try {
            poller.poll(take);
        } catch (Exception e) {
            throw new IllegalStateException(e); // the handler only copies
        }
    }

    /** True when events wait in the ring, not yet taken into a batch. */
    private boolean hasWaiting() {
        return ring.getCursor() > poller.getSequence().get();
    }

    private void closeWriter() {
        try {
            writer.close();
        } catch (Throwable ignored) {
            // the target is already gone; the next open starts afresh
        }
    }

    /** An error in words: the writers' messages speak of the target; a bare exception gets its kind. */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m != null && !m.isBlank() ? m : t.getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Delivers everything accepted, waiting at most the drain timeout; past it gives up on the rest,
     * counts it as dropped and says so on standard error.
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (thread.isAlive()) {
            LockSupport.unpark(thread);
            thread.join(Math.max(1, settings.drainTimeout().toMillis()));
        }
        if (thread.isAlive()) {
            abandon = true;
            // a write blocked on a dead target (awaiting acknowledgements, say) ends now, as a failure
            thread.interrupt();
            thread.join(5_000);
        }
        long undelivered = bufferedNow();
        if (undelivered > 0) {
            abandoned.addAndGet(undelivered);
            LOG.warn("stream-processor: sink {}: {} events not delivered to {} at shutdown{}", name, undelivered,
                writer.target(), lastError != null ? " (" + lastError + ")" : "");
        }
    }
}
