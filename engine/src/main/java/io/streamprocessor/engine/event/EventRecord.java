package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;

/**
 * The storage of one event in a ring slot: its fields as primitives, its text in a small byte
 * arena and its {@code data} as a {@link DataTape}, reused for event after event. Nobody outside
 * the engine touches it directly; each role gets its own flyweight over it, made once:
 * <ul>
 *   <li>{@link #writer()}: the producer writes the event after claiming the slot;</li>
 *   <li>{@link #view()}: filters, windows, aggregations and sinks read it, and nothing more;</li>
 *   <li>{@link #mutable()}: transforms change its {@code data}.</li>
 * </ul>
 * What the stages decide about the event (its outcome, its place in the ring) is not stored here.
 *
 * <p>Concurrency: one thread writes at a time, handed over by the ring's sequences (producer,
 * then each stage in order). Reading never writes, so stages that run side by side may read one
 * record at once. Nothing here may be kept after the callback that received it returns.
 */
public final class EventRecord {
    /** Hard bounds on text fields kept in the record; longer text is measured, not stored, and rejected. */
    static final int MAX_TYPE_CHARS = 128;
    static final int MAX_SOURCE_CHARS = 256;
    static final int MAX_ID_CHARS = 256;
    private static final int INITIAL_TEXT = 64;

    final FieldPath valuePath;
    final DataTape data;
    private final EventWriter writer;
    private final EventView view;
    private final MutableEvent mutable;

    /** Type, source and id; grows to at most ~2 KiB given the bounds above. */
    byte[] text = new byte[INITIAL_TEXT];
    int textSize;

    // what the producer wrote
    int typeOff;
    int typeLen;
    int typeChars;
    int sourceOff;
    int sourceLen;
    int sourceChars;
    /** -1 absent, -2 present but too long to keep. */
    int idOff;
    int idLen;
    int idChars;
    boolean hasTimestamp;
    long timestamp;
    long receivedAt;
    /** Place in the journal (or, without one, in the run): increasing with ring order, set at claim. */
    long position;
    Rejection rejection;
    /** The unknown or repeated top-level field a rejection names. */
    String fieldName;

    // what validation derived
    byte[] generatedIdPrefix;
    long generatedIdNumber;
    int typeId;
    int sourceId;
    String typeName;
    String sourceName;
    long sourceHash;
    double value;
    boolean hasValue;

    /**
     * @param valuePath     the member of {@code data} whose number windows aggregate
     * @param maxDataTokens hard bound on JSON tokens kept of one event's data
     * @param maxDataBytes  hard bound on bytes of text kept of one event's data
     */
    public EventRecord(FieldPath valuePath, int maxDataTokens, int maxDataBytes) {
        this.valuePath = valuePath;
        this.data = new DataTape(maxDataTokens, maxDataBytes);
        this.writer = new EventWriter(this);
        this.view = new EventView(this);
        this.mutable = new MutableEvent(this);
        begin(0L);
    }

    /**
     * Clears the record for a new event and returns its writer. Called by the producer right after
     * claiming the slot.
     *
     * @param receivedAt server epoch ms of receipt; also the event time when none is written
     */
    public EventWriter begin(long receivedAt) {
        return begin(receivedAt, 0L);
    }

    /**
     * As {@link #begin(long)}, with the event's position: the journal's record number, increasing in
     * ring order, by which sinks say how far they have delivered.
     */
    public EventWriter begin(long receivedAt, long position) {
        this.receivedAt = receivedAt;
        this.position = position;
        textSize = 0;
        typeOff = -1;
        typeLen = 0;
        typeChars = 0;
        sourceOff = -1;
        sourceLen = 0;
        sourceChars = 0;
        idOff = -1;
        idLen = 0;
        idChars = 0;
        hasTimestamp = false;
        timestamp = 0L;
        rejection = null;
        fieldName = null;
        generatedIdPrefix = null;
        generatedIdNumber = 0L;
        typeId = -1;
        sourceId = -1;
        typeName = null;
        sourceName = null;
        sourceHash = 0L;
        value = 0.0;
        hasValue = false;
        data.reset();
        return writer;
    }

    /** The producer's flyweight. */
    public EventWriter writer() {
        return writer;
    }

    /** The read-only flyweight, for filters, windows and sinks. */
    public EventView view() {
        return view;
    }

    /** The flyweight transforms change the event through. */
    public MutableEvent mutable() {
        return mutable;
    }

    /** The broken rule of the event schema (seen by the producer or by validation), or null. */
    public Rejection rejection() {
        return rejection;
    }

    /** The client-facing message for the rejection, naming the offending field; null when none. */
    public String rejectionMessage() {
        Rejection r = rejection;
        if (r == null) {
            return null;
        }
        if ((r == Rejection.UNKNOWN_FIELD || r == Rejection.DUPLICATE_FIELD) && fieldName != null) {
            // A client's field name is echoed, but never at any length.
            String name = fieldName.length() <= 64 ? fieldName : fieldName.substring(0, 64) + "...";
            return r.message() + ": " + name;
        }
        if (r == Rejection.VALUE_OUT_OF_RANGE) {
            return "data." + valuePath + r.message();
        }
        return r.message();
    }

    // ------------------------------------------------------------------ writing (through EventWriter)

    private void ensureText(int extra) {
        if (textSize + extra > text.length) {
            text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, textSize + extra));
        }
    }

    int putText(CharSequence s) {
        ensureText(s.length() * 3);
        int start = textSize;
        textSize = Utf8.encode(s, text, textSize);
        return start;
    }

    int putText(char[] chars, int offset, int length) {
        ensureText(length * 3);
        int start = textSize;
        textSize = Utf8.encode(chars, offset, length, text, textSize);
        return start;
    }

    // ------------------------------------------------------------------ reading (through EventView)

    /** The interned type, or a new string when the type table is full; never cached, so reads never write. */
    String type() {
        if (typeName != null) {
            return typeName;
        }
        return typeOff >= 0 ? new String(text, typeOff, typeLen, StandardCharsets.UTF_8) : null;
    }

    String source() {
        if (sourceName != null) {
            return sourceName;
        }
        return sourceOff >= 0 ? new String(text, sourceOff, sourceLen, StandardCharsets.UTF_8) : null;
    }

    String id() {
        if (generatedIdPrefix != null) {
            return new String(generatedIdPrefix, StandardCharsets.US_ASCII) + generatedIdNumber;
        }
        return idOff >= 0 ? new String(text, idOff, idLen, StandardCharsets.UTF_8) : null;
    }

    // ------------------------------------------------------------------ mutation (through MutableEvent)

    /** True when changing the member at {@code path} can change the number at the value path. */
    boolean touchesValue(FieldPath path) {
        return path.equals(valuePath) || path.isAncestorOf(valuePath);
    }

    /** Reads the number at the value path again; a number that does not fit a double is no value. */
    void refreshValue() {
        int t = data.find(valuePath);
        double v = t >= 0 && data.isNumber(t) ? data.doubleValue(t) : Double.NaN;
        hasValue = Double.isFinite(v);
        value = hasValue ? v : 0.0;
    }
}
