package io.streamprocessor.engine.event;

/**
 * Applies the rules of the event schema to a freshly published event, then enriches it: event
 * time (the receive time when absent), a generated id when none was sent, interned type and
 * source ids, the source hash and the numeric value at the configured path. The first broken
 * rule decides the rejection.
 *
 * <p>Single-threaded: it owns the type and source {@link Interner}s, so exactly one stage
 * thread may call {@link #validate}.
 */
public final class Validator {
    private final Interner types;
    private final Interner sources;
    private final long maxFutureSkewMillis;
    private final int maxDataDepth;
    private final int maxDataFields;
    private final boolean allowUnknownFields;
    private final byte[] idPrefix;

    public Validator(Interner types, Interner sources, long maxFutureSkewMillis,
                     int maxDataDepth, int maxDataFields, boolean allowUnknownFields, String idPrefix) {
        this.idPrefix = idPrefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.types = types;
        this.sources = sources;
        this.maxFutureSkewMillis = maxFutureSkewMillis;
        this.maxDataDepth = maxDataDepth;
        this.maxDataFields = maxDataFields;
        this.allowUnknownFields = allowUnknownFields;
    }

    /**
     * Returns true and enriches the event when it is valid; otherwise records the rejection on it
     * ({@link EventRecord#rejection()}) and returns false.
     *
     * @param sequence the event's ring sequence, unique within the run: the number of a generated id
     */
    public boolean validate(EventRecord event, long nowMillis, long sequence) {
        Rejection r = check(event, nowMillis);
        if (r == null) {
            enrich(event, sequence);
            if (!event.hasValue && valueOutOfRange(event)) {
                r = Rejection.VALUE_OUT_OF_RANGE;
            }
        }
        if (r != null) {
            event.rejection = r;
            return false;
        }
        return true;
    }

    /** A number at the value path that arrived too large for a double (1e400) is refused rather than ignored. */
    private static boolean valueOutOfRange(EventRecord e) {
        DataTape d = e.data;
        int t = d.find(e.valuePath);
        return t >= 0 && d.kind(t) == DataTape.FLOAT && Double.isInfinite(d.doubleValue(t));
    }

    private Rejection check(EventRecord e, long now) {
        if (e.rejection != null) {
            return e.rejection;
        }
        if (e.fieldName != null && !allowUnknownFields) {
            return Rejection.UNKNOWN_FIELD;
        }
        if (e.typeOff < 0 && e.typeChars == 0) {
            return Rejection.TYPE_MISSING;
        }
        if (e.typeChars < 1 || e.typeChars > EventRecord.MAX_TYPE_CHARS) {
            return Rejection.TYPE_LENGTH;
        }
        if (e.sourceOff < 0 && e.sourceChars == 0) {
            return Rejection.SOURCE_MISSING;
        }
        if (e.sourceChars < 1 || e.sourceChars > EventRecord.MAX_SOURCE_CHARS) {
            return Rejection.SOURCE_LENGTH;
        }
        if (e.idOff != -1 && (e.idChars < 1 || e.idChars > EventRecord.MAX_ID_CHARS)) {
            return Rejection.ID_LENGTH;
        }
        if (e.hasTimestamp) {
            if (e.timestamp <= 0) {
                return Rejection.TIMESTAMP_NOT_POSITIVE;
            }
            if (e.timestamp > now + maxFutureSkewMillis) {
                return Rejection.TIMESTAMP_IN_FUTURE;
            }
        }
        DataTape d = e.data;
        if (d.overflowed()) {
            return Rejection.DATA_TOO_LARGE;
        }
        if (d.malformed()) {
            return Rejection.DATA_NOT_OBJECT;
        }
        if (d.maxDepth() > maxDataDepth) {
            return Rejection.DATA_TOO_DEEP;
        }
        if (d.fieldCount() > maxDataFields) {
            return Rejection.DATA_TOO_MANY_FIELDS;
        }
        return null;
    }

    private void enrich(EventRecord e, long sequence) {
        if (!e.hasTimestamp) {
            e.timestamp = e.receivedAt;
        }
        if (e.idOff == -1) {
            // Only the prefix and number are noted: the text is produced when someone reads the id,
            // since most events are never read back by id.
            e.generatedIdPrefix = idPrefix;
            e.generatedIdNumber = sequence;
        }
        intern(e);
    }

    /**
     * Derives for an event read back from the journal ({@link EventCodec#decode}) what validation
     * derived when it was first processed: the interned type and source, the source hash and the
     * value. The event passed validation then, so its rules are not applied again (the clock has
     * moved on, and transforms may have added members since).
     */
    public void restore(EventRecord e) {
        intern(e);
    }

    private void intern(EventRecord e) {
        byte[] text = e.text;
        long typeHash = Utf8.hash64(text, e.typeOff, e.typeLen);
        int typeId = types.intern(text, e.typeOff, e.typeLen, typeHash);
        e.typeId = typeId;
        e.typeName = typeId >= 0 ? types.name(typeId) : null;
        long sourceHash = Utf8.hash64(text, e.sourceOff, e.sourceLen);
        int sourceId = sources.intern(text, e.sourceOff, e.sourceLen, sourceHash);
        e.sourceHash = sourceHash;
        e.sourceId = sourceId;
        e.sourceName = sourceId >= 0 ? sources.name(sourceId) : null;
        e.refreshValue();
    }
}
