package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventCodec;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Utf8;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.journal.Journal;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.stats.Notices;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Rebuilds the processor from its journal at start: the totals from the state record of the
 * oldest segment kept plus every record after it; the windows from the processed events, added
 * in their original order (which gives the same watermark, the same evictions and the same panes);
 * and each sink gets again the events after the position it had delivered through.
 *
 * <p>Runs on the thread starting the processor, before any event is taken, holding the window
 * lock for a chunk of records at a time so queries answer meanwhile.
 */
final class JournalReplay implements Journal.Visitor {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int LOCK_CHUNK = 1 << 16;
    private static final int SINK_BATCH = 1024;

    private final EventCodec codec = new EventCodec();
    private final EventRecord record;
    private final Validator validator;
    private final Interner types;
    private final Interner sources;
    private final WindowStage window;
    private final JournalStage.Totals totals;
    private final Sink[] sinks;
    private final long[] resumeAfter;
    private final SinkStage sinkStage;
    private final Notices notices;
    private boolean seeded;
    private long watermark = Long.MIN_VALUE;
    private int inChunk;
    private int sinceSinkBatch;
    /** Records handed so far, published every {@value #LOCK_CHUNK}; read by health checks. */
    volatile long done;
    private long records;
    long events;

    JournalReplay(EventRecord record, Validator validator, Interner types, Interner sources, WindowStage window,
                  JournalStage.Totals totals, Sink[] sinks, long[] resumeAfter, SinkStage sinkStage,
                  Notices notices) {
        this.record = record;
        this.validator = validator;
        this.types = types;
        this.sources = sources;
        this.window = window;
        this.totals = totals;
        this.sinks = sinks;
        this.resumeAfter = resumeAfter;
        this.sinkStage = sinkStage;
        this.notices = notices;
    }

    void begin() {
        window.lock.lock();
    }

    /** Ends the replay: the last sink batch, the lock. */
    void end() {
        endSinkBatch();
        window.lock.unlock();
    }

    long watermark() {
        return watermark;
    }

    @Override
    public long onRecord(byte kind, long position, ByteBuffer b, int offset, int length) {
        records++;
        if (++inChunk == LOCK_CHUNK) {
            inChunk = 0;
            done = records;
            window.lock.unlock();
            window.lock.lock();
        }
        if (kind == Journal.STATE) {
            if (!seeded) {
                seed(b, offset);
            }
            return Long.MIN_VALUE;
        }
        seeded = true; // a state record after the first segment's only repeats what the records added up to
        if (kind != JournalStage.PROCESSED && kind != JournalStage.LATE) {
            totals.count(kind, null);
            return Long.MIN_VALUE;
        }
        events++;
        codec.decode(b, offset, length, position, record);
        validator.restore(record);
        EventView e = record.view();
        totals.count(kind, e);
        if (totals.sharedMetrics) {
            totals.metrics.count(e.typeId(), e.sourceId()); // the window stage's own count, which replay stands in for
        }
        long eventTime = Long.MIN_VALUE;
        if (kind == JournalStage.PROCESSED) {
            eventTime = e.timestamp();
            if (eventTime > watermark) {
                watermark = eventTime;
            }
            // Never late here when it was not then: the watermark so far is at most what it was.
            window.windows.add(e);
        }
        for (int i = 0; i < sinks.length; i++) {
            if (position > resumeAfter[i]) {
                handToSink(i, e);
            }
        }
        if (++sinceSinkBatch == SINK_BATCH) {
            endSinkBatch();
        }
        return eventTime;
    }

    private void handToSink(int i, EventView e) {
        boolean said = false;
        while (!sinks[i].admits(SINK_BATCH)) {
            if (!said) {
                notices.warn("journal: replay waits for sink " + sinks[i].name() + " to take events");
                said = true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        sinkStage.replay(i, e);
    }

    private void endSinkBatch() {
        sinceSinkBatch = 0;
        sinkStage.replayEndOfBatch();
    }

    private void seed(ByteBuffer b, int offset) {
        seeded = true;
        int at = offset;
        totals.received = b.getLong(at);
        totals.processed = b.getLong(at + 8);
        totals.filtered = b.getLong(at + 16);
        totals.rejected = b.getLong(at + 24);
        totals.late = b.getLong(at + 32);
        totals.lastProcessedAt = b.getLong(at + 40);
        watermark = b.getLong(at + 48);
        at += 56;
        int pairs = b.getInt(at);
        at += 4;
        for (int p = 0; p < pairs; p++) {
            int typeLen = b.getShort(at);
            at += 2;
            int typeId = typeLen < 0 ? -1 : intern(types, b, at, typeLen);
            at += Math.max(0, typeLen);
            int sourceLen = b.getShort(at);
            at += 2;
            int sourceId = sourceLen < 0 ? -1 : intern(sources, b, at, sourceLen);
            at += Math.max(0, sourceLen);
            long n = b.getLong(at);
            at += 8;
            totals.metrics.add(typeLen < 0 ? MetricCounts.OTHER : MetricCounts.key(typeId, sourceId), n);
        }
    }

    private static int intern(Interner table, ByteBuffer b, int at, int length) {
        byte[] bytes = new byte[length];
        b.get(at, bytes);
        return table.intern(bytes, 0, length, Utf8.hash64(bytes, 0, length));
    }
}
