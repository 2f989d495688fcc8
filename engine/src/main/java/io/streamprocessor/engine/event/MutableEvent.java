package io.streamprocessor.engine.event;

/**
 * The flyweight transforms change an event through: set, derive, rename and remove members of
 * {@code data}, creating parent objects as needed. Setting the configured value path also changes
 * the value that windows aggregate. Only the engine makes these; valid only during the callback
 * it is passed to.
 *
 * <p>Concurrency: called on the transform stage's thread only, before any later stage sees the event.
 */
public final class MutableEvent extends EventView {
    MutableEvent(EventRecord record) {
        super(record);
    }

    /** Sets (creating when absent, parents included) the member at {@code path} to a number. */
    public MutableEvent set(FieldPath path, double v) {
        changed(record.data.setScalar(path, DataTape.FLOAT, Double.doubleToRawLongBits(v)) >= 0, path);
        return this;
    }

    /** Sets the member at {@code path} to an integer. */
    public MutableEvent set(FieldPath path, long v) {
        changed(record.data.setScalar(path, DataTape.INTEGER, v) >= 0, path);
        return this;
    }

    /** Sets the member at {@code path} to a string. */
    public MutableEvent set(FieldPath path, CharSequence v) {
        changed(record.data.setString(path, v) >= 0, path);
        return this;
    }

    /** Sets the member at {@code path} to a boolean. */
    public MutableEvent set(FieldPath path, boolean v) {
        changed(record.data.setScalar(path, v ? DataTape.TRUE : DataTape.FALSE, 0) >= 0, path);
        return this;
    }

    /** Removes the member at {@code path}; nothing happens when it is absent. */
    public MutableEvent remove(FieldPath path) {
        changed(record.data.remove(path), path);
        return this;
    }

    /**
     * Moves the member at {@code from} to {@code to}, replacing what was there; nothing happens when
     * {@code from} is absent or {@code to} lies inside it.
     */
    public MutableEvent rename(FieldPath from, FieldPath to) {
        if (record.data.rename(from, to) && (record.touchesValue(from) || record.touchesValue(to))) {
            record.refreshValue();
        }
        return this;
    }

    private void changed(boolean done, FieldPath path) {
        if (done && record.touchesValue(path)) {
            record.refreshValue();
        }
    }
}
