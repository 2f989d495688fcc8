package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;

/**
 * One pre-allocated entry of the ring: an event's fields as primitives, its text in a small
 * byte arena and its {@code data} as a {@link DataTape}. The slot is its own flyweight: the
 * producer writes it through the {@code type(..)}, {@code source(..)}, ... methods after
 * {@link #begin}, and the stages read and change it as an {@link EventView} / {@link MutableEvent}.
 *
 * <p>Concurrency: exactly one thread touches a slot at a time, handed over by the ring's
 * sequences (producer, then each stage in order). Slots are reused, so nothing here may be
 * kept after the callback that received it returns.
 */
public final class EventSlot implements MutableEvent {
    /** Hard bounds on text fields kept in the slot; longer text is measured, not stored, and rejected. */
    static final int MAX_TYPE_CHARS = 128;
    static final int MAX_SOURCE_CHARS = 256;
    static final int MAX_ID_CHARS = 256;

    private final FieldPath valuePath;
    private final DataTape data;
    /** Type, source, id and an unknown field's name; grows to at most ~2 KiB given the bounds above. */
    private byte[] text = new byte[128];
    private int textSize;

    // what the producer wrote
    private boolean isVoid;
    private int typeOff;
    private int typeLen;
    private int typeChars;
    private int sourceOff;
    private int sourceLen;
    private int sourceChars;
    private int idOff;
    private int idLen;
    private int idChars;
    private boolean hasTimestamp;
    private long timestamp;
    private long receivedAt;
    private long arrivalNanos;
    private Rejection rejection;
    private String fieldName;
    private IngestRequest request;
    private int requestIndex;
    private boolean countRejection;
    private byte[] generatedIdPrefix;

    // what the stages derived
    long sequence;
    Outcome outcome;
    int typeId;
    int sourceId;
    String typeName;
    String sourceName;
    long sourceHash;
    double value;
    boolean hasValue;

    public EventSlot(FieldPath valuePath, int maxDataTokens, int maxDataBytes) {
        this.valuePath = valuePath;
        this.data = new DataTape(maxDataTokens, maxDataBytes);
        begin(null, 0, 0L, 0L);
        isVoid = true;
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Clears the slot for a new event. Called by the producer right after claiming it.
     *
     * @param request      who to report the outcome to, or null for fire-and-forget
     * @param index        position of this event within its request (batch index)
     * @param receivedAt   server epoch ms of receipt; also the event time when none is written
     * @param arrivalNanos {@link System#nanoTime()} of the request's arrival, for latency
     */
    public EventSlot begin(IngestRequest request, int index, long receivedAt, long arrivalNanos) {
        this.request = request;
        this.requestIndex = index;
        this.receivedAt = receivedAt;
        this.arrivalNanos = arrivalNanos;
        isVoid = false;
        countRejection = true;
        generatedIdPrefix = null;
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
        outcome = Outcome.PENDING;
        typeId = -1;
        sourceId = -1;
        typeName = null;
        sourceName = null;
        sourceHash = 0L;
        value = 0.0;
        hasValue = false;
        data.reset();
        return this;
    }

    /**
     * Marks the slot as carrying no event: every stage skips it and nothing is counted. Used when
     * a batch turns out malformed after its slots were claimed; the slots must still be published.
     */
    public void markVoid() {
        isVoid = true;
        request = null;
    }

    /**
     * Makes a rejection of this event leave the counters alone: for an ingestion that is taken
     * whole or not at all (a single event answered 400), where a rejected event was never taken.
     */
    public EventSlot uncountedIfRejected() {
        countRejection = false;
        return this;
    }

    /** False when a rejection of this event is not to be counted; see {@link #uncountedIfRejected()}. */
    public boolean countsRejection() {
        return countRejection;
    }

    public EventSlot type(CharSequence s) {
        typeChars = s.length();
        typeOff = typeChars <= MAX_TYPE_CHARS ? putText(s) : -1;
        typeLen = typeOff < 0 ? 0 : textSize - typeOff;
        return this;
    }

    public EventSlot type(char[] chars, int offset, int length) {
        typeChars = length;
        typeOff = length <= MAX_TYPE_CHARS ? putText(chars, offset, length) : -1;
        typeLen = typeOff < 0 ? 0 : textSize - typeOff;
        return this;
    }

    public EventSlot source(CharSequence s) {
        sourceChars = s.length();
        sourceOff = sourceChars <= MAX_SOURCE_CHARS ? putText(s) : -1;
        sourceLen = sourceOff < 0 ? 0 : textSize - sourceOff;
        return this;
    }

    public EventSlot source(char[] chars, int offset, int length) {
        sourceChars = length;
        sourceOff = length <= MAX_SOURCE_CHARS ? putText(chars, offset, length) : -1;
        sourceLen = sourceOff < 0 ? 0 : textSize - sourceOff;
        return this;
    }

    public EventSlot id(CharSequence s) {
        idChars = s.length();
        // -2: present but too long, remembered so validation rejects it
        idOff = idChars <= MAX_ID_CHARS ? putText(s) : -2;
        idLen = idOff < 0 ? 0 : textSize - idOff;
        return this;
    }

    public EventSlot id(char[] chars, int offset, int length) {
        idChars = length;
        idOff = length <= MAX_ID_CHARS ? putText(chars, offset, length) : -2;
        idLen = idOff < 0 ? 0 : textSize - idOff;
        return this;
    }

    public EventSlot timestamp(long epochMillis) {
        hasTimestamp = true;
        timestamp = epochMillis;
        return this;
    }

    /** Records a schema violation the producer saw while decoding (a wrong JSON type, say). The first one wins. */
    public EventSlot reject(Rejection reason) {
        if (rejection == null) {
            rejection = reason;
        }
        return this;
    }

    /**
     * Records a schema violation about a named top-level field (an unknown or a repeated one);
     * whether an unknown field is an error is the validator's decision. Pass a canonical string
     * (a JSON parser's field name) so nothing is allocated. The first one wins.
     */
    public EventSlot fieldProblem(Rejection reason, String field) {
        if (reason == Rejection.UNKNOWN_FIELD) {
            if (fieldName == null) {
                fieldName = field;
            }
            return this;
        }
        if (rejection == null) {
            rejection = reason;
            fieldName = field;
        }
        return this;
    }

    private void ensureText(int extra) {
        if (textSize + extra > text.length) {
            text = java.util.Arrays.copyOf(text, Math.max(text.length * 2, textSize + extra));
        }
    }

    private int putText(CharSequence s) {
        ensureText(s.length() * 3);
        int start = textSize;
        textSize = Utf8.encode(s, text, textSize);
        return start;
    }

    private int putText(char[] chars, int offset, int length) {
        ensureText(length * 3);
        int start = textSize;
        textSize = Utf8.encode(chars, offset, length, text, textSize);
        return start;
    }

    // ------------------------------------------------------------------ state for stages

    public boolean isVoid() {
        return isVoid;
    }

    public IngestRequest request() {
        return request;
    }

    public int requestIndex() {
        return requestIndex;
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    public Outcome outcome() {
        return outcome;
    }

    public void outcome(Outcome outcome) {
        this.outcome = outcome;
    }

    public Rejection rejection() {
        return rejection;
    }

    /** The ring sequence of this event: unique within the processor's run. */
    public long sequence() {
        return sequence;
    }

    /** Set by the first stage. */
    public void sequence(long sequence) {
        this.sequence = sequence;
    }

    /** The client-facing message for a rejection, naming the offending field. */
    public String rejectionMessage() {
        if (rejection == null) {
            return null;
        }
        if ((rejection == Rejection.UNKNOWN_FIELD || rejection == Rejection.DUPLICATE_FIELD) && fieldName != null) {
            // A client's field name is echoed, but never at any length.
            String name = fieldName.length() <= 64 ? fieldName : fieldName.substring(0, 64) + "...";
            return rejection.message() + ": " + name;
        }
        return rejection.message();
    }

    boolean hasUnknownField() {
        return fieldName != null && rejection == null;
    }

    boolean hasType() {
        return typeOff >= 0 || typeChars > 0;
    }

    int typeChars() {
        return typeChars;
    }

    int typeOffset() {
        return typeOff;
    }

    int typeLength() {
        return typeLen;
    }

    boolean hasSource() {
        return sourceOff >= 0 || sourceChars > 0;
    }

    int sourceChars() {
        return sourceChars;
    }

    int sourceOffset() {
        return sourceOff;
    }

    int sourceLength() {
        return sourceLen;
    }

    boolean hasClientId() {
        return idOff != -1;
    }

    int idChars() {
        return idChars;
    }

    int idOffset() {
        return idOff;
    }

    int idLength() {
        return idLen;
    }

    boolean hasTimestamp() {
        return hasTimestamp;
    }

    byte[] textArena() {
        return text;
    }

    /**
     * Gives an event without a client id the id {@code prefix + sequence}, unique within the run.
     * Only the prefix is noted: the text is produced when someone reads the id ({@link #id()},
     * {@link EventJson}), since most events are never read back by id.
     */
    void generateId(byte[] prefix) {
        generatedIdPrefix = prefix;
    }

    /** The prefix of a generated id, or null when the client sent one. */
    byte[] generatedIdPrefix() {
        return generatedIdPrefix;
    }

    void assignTimestamp(long t) {
        timestamp = t;
    }

    FieldPath valuePath() {
        return valuePath;
    }

    // ------------------------------------------------------------------ EventView

    @Override
    public String type() {
        if (typeName == null && typeOff >= 0) {
            typeName = new String(text, typeOff, typeLen, StandardCharsets.UTF_8);
        }
        return typeName;
    }

    @Override
    public String source() {
        if (sourceName == null && sourceOff >= 0) {
            sourceName = new String(text, sourceOff, sourceLen, StandardCharsets.UTF_8);
        }
        return sourceName;
    }

    /** The event id: the client's, or one generated by validation. Allocates. */
    public String id() {
        if (generatedIdPrefix != null) {
            return new String(generatedIdPrefix, StandardCharsets.US_ASCII) + sequence;
        }
        return idOff >= 0 ? new String(text, idOff, idLen, StandardCharsets.UTF_8) : null;
    }

    @Override
    public int typeId() {
        return typeId;
    }

    @Override
    public int sourceId() {
        return sourceId;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public long receivedAt() {
        return receivedAt;
    }

    @Override
    public boolean hasValue() {
        return hasValue;
    }

    @Override
    public double value() {
        return value;
    }

    /** A 64-bit hash of the source text, for distinct counting. */
    public long sourceHash() {
        return sourceHash;
    }

    @Override
    public DataTape data() {
        return data;
    }

    // ------------------------------------------------------------------ MutableEvent

    @Override
    public MutableEvent set(FieldPath path, double v) {
        if (data.setScalar(path, DataTape.FLOAT, Double.doubleToRawLongBits(v)) >= 0 && touchesValue(path)) {
            refreshValue();
        }
        return this;
    }

    @Override
    public MutableEvent set(FieldPath path, long v) {
        if (data.setScalar(path, DataTape.INTEGER, v) >= 0 && touchesValue(path)) {
            refreshValue();
        }
        return this;
    }

    @Override
    public MutableEvent set(FieldPath path, CharSequence v) {
        if (data.setString(path, v) >= 0 && touchesValue(path)) {
            refreshValue();
        }
        return this;
    }

    @Override
    public MutableEvent set(FieldPath path, boolean v) {
        if (data.setScalar(path, v ? DataTape.TRUE : DataTape.FALSE, 0) >= 0 && touchesValue(path)) {
            refreshValue();
        }
        return this;
    }

    @Override
    public MutableEvent remove(FieldPath path) {
        if (data.remove(path) && touchesValue(path)) {
            refreshValue();
        }
        return this;
    }

    @Override
    public MutableEvent rename(FieldPath from, FieldPath to) {
        if (data.rename(from, to) && (touchesValue(from) || touchesValue(to))) {
            refreshValue();
        }
        return this;
    }

    /** True when changing the member at {@code path} can change the number at the value path. */
    private boolean touchesValue(FieldPath path) {
        return path.equals(valuePath) || path.isAncestorOf(valuePath);
    }

    void refreshValue() {
        int t = data.find(valuePath);
        double v = t >= 0 && data.isNumber(t) ? data.doubleValue(t) : Double.NaN;
        hasValue = Double.isFinite(v);
        value = hasValue ? v : 0.0;
    }
}
