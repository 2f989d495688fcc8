package io.streamprocessor.engine.event;

/**
 * Applies the rules of the event schema to a freshly published slot, then enriches it: event
 * time (the receive time when absent), interned type and source ids, the source hash and the
 * numeric value at the configured path. The first broken rule decides the rejection.
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

    /** Returns true and enriches the slot when it is valid; otherwise records the rejection and returns false. */
    public boolean validate(EventSlot slot, long nowMillis) {
        Rejection r = check(slot, nowMillis);
        if (r != null) {
            slot.reject(r);
            slot.outcome(Outcome.REJECTED);
            return false;
        }
        enrich(slot);
        return true;
    }

    private Rejection check(EventSlot e, long now) {
        if (e.rejection() != null) {
            return e.rejection();
        }
        if (e.hasUnknownField() && !allowUnknownFields) {
            return Rejection.UNKNOWN_FIELD;
        }
        if (!e.hasType()) {
            return Rejection.TYPE_MISSING;
        }
        if (e.typeChars() < 1 || e.typeChars() > EventSlot.MAX_TYPE_CHARS) {
            return Rejection.TYPE_LENGTH;
        }
        if (!e.hasSource()) {
            return Rejection.SOURCE_MISSING;
        }
        if (e.sourceChars() < 1 || e.sourceChars() > EventSlot.MAX_SOURCE_CHARS) {
            return Rejection.SOURCE_LENGTH;
        }
        if (e.hasClientId() && (e.idChars() < 1 || e.idChars() > EventSlot.MAX_ID_CHARS)) {
            return Rejection.ID_LENGTH;
        }
        if (e.hasTimestamp()) {
            if (e.timestamp() <= 0) {
                return Rejection.TIMESTAMP_NOT_POSITIVE;
            }
            if (e.timestamp() > now + maxFutureSkewMillis) {
                return Rejection.TIMESTAMP_IN_FUTURE;
            }
        }
        DataTape d = e.data();
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

    private void enrich(EventSlot e) {
        if (!e.hasTimestamp()) {
            e.assignTimestamp(e.receivedAt());
        }
        if (!e.hasClientId()) {
            e.generateId(idPrefix);
        }
        byte[] text = e.textArena();
        long typeHash = Utf8.hash64(text, e.typeOffset(), e.typeLength());
        int typeId = types.intern(text, e.typeOffset(), e.typeLength(), typeHash);
        e.typeId = typeId;
        e.typeName = typeId >= 0 ? types.name(typeId) : null;
        long sourceHash = Utf8.hash64(text, e.sourceOffset(), e.sourceLength());
        int sourceId = sources.intern(text, e.sourceOffset(), e.sourceLength(), sourceHash);
        e.sourceHash = sourceHash;
        e.sourceId = sourceId;
        e.sourceName = sourceId >= 0 ? sources.name(sourceId) : null;
        e.refreshValue();
    }
}
