package io.streamprocessor.engine.event;

/**
 * Read-only flyweight over the event in a ring slot, as filters, aggregations and sinks see it:
 * it has no method that changes the event, and its {@link #data()} only reads. Only the engine
 * makes views. Valid only during the callback it is passed to: the slot is reused for later
 * events, so keep values, never the view.
 *
 * <p>Concurrency: reading never writes, so two stages may read one event at once.
 */
public class EventView {
    final EventRecord record;

    EventView(EventRecord record) {
        this.record = record;
    }

    /** The event type; the same interned instance for every event of a type while the type table has room. */
    public final String type() {
        return record.type();
    }

    /** The event source; interned while the source table has room, otherwise a new string per call. */
    public final String source() {
        return record.source();
    }

    /** The event id: the client's, or the one validation generated. Allocates. */
    public final String id() {
        return record.id();
    }

    /** Interned id of {@link #type()}, dense from 0; stable for the life of the processor; -1 once the table is full. */
    public final int typeId() {
        return record.typeId;
    }

    /** Interned id of {@link #source()}; {@code -1} once the source table is full. */
    public final int sourceId() {
        return record.sourceId;
    }

    /** A 64-bit hash of the source text, for distinct counting and partitioning. */
    public final long sourceHash() {
        return record.sourceHash;
    }

    /** Event time, epoch milliseconds (the receive time when the client sent none). */
    public final long timestamp() {
        return record.timestamp;
    }

    /** Server time the event was received, epoch milliseconds. */
    public final long receivedAt() {
        return record.receivedAt;
    }

    /**
     * The event's position: its record number in the journal, increasing in the order events pass
     * the pipeline and never reused, also across restarts on one journal (without a journal, within
     * the run). A sink that buffers reports the oldest position it still holds, so a restart knows
     * from where to hand it events again.
     */
    public final long position() {
        return record.position;
    }

    /** True when the event carries a number at the configured value path (default {@code data.value}). */
    public final boolean hasValue() {
        return record.hasValue;
    }

    /** The number at the value path; meaningful only when {@link #hasValue()}. */
    public final double value() {
        return record.value;
    }

    /** The event's {@code data} object as a token tape, for allocation-free reads. */
    public final DataTape data() {
        return record.data;
    }

    /** True when {@code data} has a member at {@code path} (whatever its type, null included). */
    public final boolean has(FieldPath path) {
        return record.data.find(path) >= 0;
    }

    /** True when the member at {@code path} is a number. */
    public final boolean isNumber(FieldPath path) {
        DataTape d = record.data;
        int t = d.find(path);
        return t >= 0 && d.isNumber(t);
    }

    /** The number at {@code path}, or {@code missing} when absent or not a number. */
    public final double number(FieldPath path, double missing) {
        DataTape d = record.data;
        int t = d.find(path);
        return t >= 0 && d.isNumber(t) ? d.doubleValue(t) : missing;
    }

    /** The string at {@code path} (allocates), or null when absent or not a string. */
    public final String string(FieldPath path) {
        DataTape d = record.data;
        int t = d.find(path);
        return t >= 0 && d.kind(t) == DataTape.STRING ? d.text(t) : null;
    }

    /** True when the member at {@code path} is a string equal to {@code utf8}. */
    public final boolean stringEquals(FieldPath path, byte[] utf8) {
        DataTape d = record.data;
        int t = d.find(path);
        return t >= 0 && d.kind(t) == DataTape.STRING && d.textEquals(t, utf8);
    }
}
