package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventCodec;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.journal.Journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends every event to the {@link Journal} once its outcome is known (after the window stage,
 * which decides lateness) and before the sinks and the completion stage: a processed or late
 * event whole ({@link EventCodec}), a filtered or rejected one as its outcome alone. The journal
 * writes each batch at its end, before the completion stage answers its requests.
 *
 * <p>It keeps its own running totals of what it has journaled, exactly as the counters of
 * {@code /stats} count them, and writes them as the {@link Journal#STATE} record that opens each
 * segment: a restart adds the records after the oldest segment kept to that segment's totals, so
 * the totals continue even after older segments are deleted.
 */
final class JournalStage implements Stage, Journal.StateWriter {
    static final byte PROCESSED = 1;
    static final byte LATE = 2;
    static final byte FILTERED = 3;
    static final byte REJECTED = 4;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Journal journal;
    private final EventCodec codec = new EventCodec();
    private final Interner types;
    private final Interner sources;
    final Totals totals;
    /** The largest event time journaled as processed: the windows' watermark, published once per batch. */
    private long watermark = Long.MIN_VALUE;
    private volatile long publishedWatermark = Long.MIN_VALUE;
    private static final long NONE = Long.MAX_VALUE;
    /** With shared metrics: the key of the event being journaled, which they count already. */
    private long countedAhead = NONE;

    /**
     * @param windowMetrics the window stage's metrics when it runs on this stage's thread, just
     *                      before it (then they are exactly the journaled events' and are not
     *                      counted twice), else null: this stage keeps its own
     */
    JournalStage(Interner types, Interner sources, int maxMetricKeys, MetricCounts windowMetrics) {
        this.types = types;
        this.sources = sources;
        this.totals = new Totals(maxMetricKeys, windowMetrics);
    }

    /** What the journal's records add up to: the counters of {@code /stats}, as of a record. */
    static final class Totals {
        long received;
        long processed;
        long filtered;
        long rejected;
        long late;
        long lastProcessedAt = Long.MIN_VALUE;
        final MetricCounts metrics;
        /** True when {@link #metrics} are the window stage's, which counts them itself. */
        final boolean sharedMetrics;

        Totals(int maxMetricKeys, MetricCounts windowMetrics) {
            this.sharedMetrics = windowMetrics != null;
            this.metrics = sharedMetrics ? windowMetrics : new MetricCounts(maxMetricKeys);
        }

        void count(byte kind, EventView e) {
            received++;
            switch (kind) {
                case PROCESSED, LATE -> {
                    processed++;
                    if (kind == LATE) {
                        late++;
                    }
                    if (!sharedMetrics) {
                        metrics.count(e.typeId(), e.sourceId());
                    }
                    if (e.receivedAt() > lastProcessedAt) {
                        lastProcessedAt = e.receivedAt();
                    }
                }
                case FILTERED -> filtered++;
                default -> rejected++;
            }
        }
    }

    /** The journal to write to, opened when the processor starts. Before the stage runs. */
    void attach(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void onEvent(Slot slot, long sequence) {
        EventView e = slot.event.view();
        byte kind = switch (slot.outcome()) {
            case PROCESSED -> PROCESSED;
            case LATE -> LATE;
            case FILTERED -> FILTERED;
            default -> REJECTED;
        };
        if (kind == PROCESSED || kind == LATE) {
            if (totals.sharedMetrics) {
                // The window stage has counted this event already; a segment this reserve starts must not.
                long key = MetricCounts.key(e.typeId(), e.sourceId());
                countedAhead = totals.metrics.counts.get(key) != 0 ? key : MetricCounts.OTHER;
            }
            int offset = journal.reserve(EventCodec.maxLength(e));
            int length = codec.encode(e, journal.buffer(), offset);
            long eventTime = kind == PROCESSED ? e.timestamp() : Long.MIN_VALUE;
            journal.commit(kind, e.position(), length, eventTime);
            countedAhead = NONE;
            if (eventTime > watermark) {
                watermark = eventTime;
            }
        } else {
            journal.reserve(0);
            journal.commit(kind, e.position(), 0, Long.MIN_VALUE);
        }
        totals.count(kind, e);
    }

    @Override
    public void onEndOfBatch() {
        journal.endOfBatch();
        publishedWatermark = watermark;
    }

    /** The largest event time journaled as processed, as of the last batch. Any thread. */
    long watermark() {
        return publishedWatermark;
    }

    /** Starts from what a replay found. Before the stage runs. */
    void seedWatermark(long wm) {
        watermark = wm;
        publishedWatermark = wm;
    }

    // ------------------------------------------------------------------ the state record

    @Override
    public int maxLength() {
        // the counters, then per pair two names (at most 3 bytes of UTF-8 a char) and a count
        long[] n = {7 * 8 + 4};
        totals.metrics.counts.forEach((key, count) -> {
            n[0] += 2 + 2 + 8;
            if (key != MetricCounts.OTHER) {
                n[0] += 3L * (types.name(MetricCounts.typeId(key)).length() + sources.name(MetricCounts.sourceId(key)).length());
            }
        });
        return (int) n[0];
    }

    /** Written once per segment, so it may allocate. */
    @Override
    public int write(ByteBuffer b, int offset) {
        b.putLong(offset, totals.received);
        b.putLong(offset + 8, totals.processed);
        b.putLong(offset + 16, totals.filtered);
        b.putLong(offset + 24, totals.rejected);
        b.putLong(offset + 32, totals.late);
        b.putLong(offset + 40, totals.lastProcessedAt);
        b.putLong(offset + 48, watermark);
        int countAt = offset + 56;
        int[] at = {countAt + 4};
        int[] pairs = {0};
        long ahead = countedAhead;
        totals.metrics.counts.forEach((key, count) -> {
            long n = key == ahead ? count - 1 : count;
            if (n == 0) {
                return; // counted only for the event ahead, which the new segment's records count
            }
            if (key == MetricCounts.OTHER) {
                at[0] = name(b, name(b, at[0], null), null);
            } else {
                at[0] = name(b, at[0], types.name(MetricCounts.typeId(key)));
                at[0] = name(b, at[0], sources.name(MetricCounts.sourceId(key)));
            }
            b.putLong(at[0], n);
            at[0] += 8;
            pairs[0]++;
        });
        b.putInt(countAt, pairs[0]);
        return at[0] - offset;
    }

    private static int name(ByteBuffer b, int at, String name) {
        if (name == null) {
            b.putShort(at, (short) -1);
            return at + 2;
        }
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        b.putShort(at, (short) utf8.length);
        b.put(at + 2, utf8);
        return at + 2 + utf8.length;
    }
}
