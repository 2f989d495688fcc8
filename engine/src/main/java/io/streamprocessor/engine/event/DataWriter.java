package io.streamprocessor.engine.event;

/**
 * Writes an event's {@code data} object token by token, in document order, as a streaming JSON
 * decoder reads it: {@code startObject().name("value").number(95.5).endObject()}. Past the tape's
 * hard bounds further tokens are dropped and the event is rejected as too large; containers that
 * do not pair up make it rejected as not an object.
 *
 * <p>Obtained from {@link EventWriter#data()}; belongs to the producer between claiming a slot and
 * publishing it. Not thread-safe.
 */
public final class DataWriter {
    private final DataTape tape;

    DataWriter(DataTape tape) {
        this.tape = tape;
    }

    public DataWriter startObject() {
        tape.startObject();
        return this;
    }

    public DataWriter endObject() {
        tape.endObject();
        return this;
    }

    public DataWriter startArray() {
        tape.startArray();
        return this;
    }

    public DataWriter endArray() {
        tape.endArray();
        return this;
    }

    /** An object member's name. */
    public DataWriter name(CharSequence name) {
        tape.name(name);
        return this;
    }

    public DataWriter name(char[] chars, int offset, int length) {
        tape.name(chars, offset, length);
        return this;
    }

    /** A name given as UTF-8 bytes. */
    public DataWriter name(byte[] utf8, int offset, int length) {
        tape.name(utf8, offset, length);
        return this;
    }

    public DataWriter string(CharSequence value) {
        tape.string(value);
        return this;
    }

    public DataWriter string(char[] chars, int offset, int length) {
        tape.string(chars, offset, length);
        return this;
    }

    /** A string given as UTF-8 bytes. */
    public DataWriter string(byte[] utf8, int offset, int length) {
        tape.string(utf8, offset, length);
        return this;
    }

    public DataWriter number(long value) {
        tape.number(value);
        return this;
    }

    /** A number with no text of its own: sinks print it as Java formats a double. */
    public DataWriter number(double value) {
        tape.number(value);
        return this;
    }

    /** A non-integral number with the text it arrived as, kept so sinks re-emit it exactly. */
    public DataWriter number(double value, char[] text, int offset, int length) {
        tape.number(value, text, offset, length);
        return this;
    }

    public DataWriter bool(boolean value) {
        tape.bool(value);
        return this;
    }

    public DataWriter nullValue() {
        tape.nullValue();
        return this;
    }

    /** Object members written so far, at every depth. */
    public int fieldCount() {
        return tape.fieldCount();
    }

    /** True once a hard bound was passed: the rest of the object is not kept. */
    public boolean overflowed() {
        return tape.overflowed();
    }
}
