package io.streamprocessor.engine.event;

/**
 * Read-only flyweight over the event in a ring slot, as filters and sinks see it. Valid only
 * during the callback it is passed to: the slot is reused for later events, so keep values,
 * never the view.
 */
public interface EventView {
    /** The event type, interned: the same instance for every event of that type. */
    String type();

    /** The event source, interned while the source table has room. */
    String source();

    /** Interned id of {@link #type()}, dense from 0; stable for the life of the processor. */
    int typeId();

    /** Interned id of {@link #source()}; {@code -1} once the source table is full. */
    int sourceId();

    /** Event time, epoch milliseconds (the receive time when the client sent none). */
    long timestamp();

    /** Server time the event was received, epoch milliseconds. */
    long receivedAt();

    /** True when the event carries a number at the configured value path (default {@code data.value}). */
    boolean hasValue();

    /** The number at the value path; meaningful only when {@link #hasValue()}. */
    double value();

    /** The event's {@code data} object as a token tape, for allocation-free reads. */
    DataTape data();

    /** True when {@code data} has a member at {@code path} (whatever its type, null included). */
    default boolean has(FieldPath path) {
        return data().find(path) >= 0;
    }

    /** True when the member at {@code path} is a number. */
    default boolean isNumber(FieldPath path) {
        int t = data().find(path);
        return t >= 0 && data().isNumber(t);
    }

    /** The number at {@code path}, or {@code missing} when absent or not a number. */
    default double number(FieldPath path, double missing) {
        DataTape d = data();
        int t = d.find(path);
        return t >= 0 && d.isNumber(t) ? d.doubleValue(t) : missing;
    }

    /** The string at {@code path} (allocates), or null when absent or not a string. */
    default String string(FieldPath path) {
        DataTape d = data();
        int t = d.find(path);
        return t >= 0 && d.kind(t) == DataTape.STRING ? d.text(t) : null;
    }

    /** True when the member at {@code path} is a string equal to {@code utf8}. */
    default boolean stringEquals(FieldPath path, byte[] utf8) {
        DataTape d = data();
        int t = d.find(path);
        return t >= 0 && d.kind(t) == DataTape.STRING && d.textEquals(t, utf8);
    }
}
