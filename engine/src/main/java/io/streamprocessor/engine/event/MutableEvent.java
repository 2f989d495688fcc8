package io.streamprocessor.engine.event;

/**
 * Flyweight that transforms use to change the event in a ring slot: set, derive, rename and
 * remove members of {@code data}. Setting the configured value path also changes the value
 * that windows aggregate. Valid only during the callback it is passed to.
 */
public interface MutableEvent extends EventView {
    /** Sets (creating when absent, parents included) the member at {@code path} to a number. */
    MutableEvent set(FieldPath path, double value);

    /** Sets the member at {@code path} to an integer. */
    MutableEvent set(FieldPath path, long value);

    /** Sets the member at {@code path} to a string. */
    MutableEvent set(FieldPath path, CharSequence value);

    /** Sets the member at {@code path} to a boolean. */
    MutableEvent set(FieldPath path, boolean value);

    /** Removes the member at {@code path}; nothing happens when it is absent. */
    MutableEvent remove(FieldPath path);

    /**
     * Moves the member at {@code from} to {@code to}, replacing what was there; nothing happens when
     * {@code from} is absent or {@code to} lies inside it.
     */
    MutableEvent rename(FieldPath from, FieldPath to);
}
