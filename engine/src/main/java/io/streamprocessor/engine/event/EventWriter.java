package io.streamprocessor.engine.event;

/**
 * What a producer writes an event through, after claiming a ring slot and before publishing it:
 * {@code type}, {@code source}, {@code id}, {@code timestamp} and {@code data}, plus the schema
 * violations only a decoder can see (a field of the wrong JSON type, an unknown or repeated field).
 * Validation, after publishing, decides whether the event is accepted.
 *
 * <pre>{@code
 * writer.type("metric").source("web-1").timestamp(1699380000000L)
 *       .data().startObject().name("value").number(95.5).endObject();
 * }</pre>
 *
 * <p>Belongs to the producer thread between claim and publish; not thread-safe, and not to be
 * kept after publishing (the slot is reused).
 */
public final class EventWriter {
    private final EventRecord e;
    private final DataWriter data;

    EventWriter(EventRecord record) {
        this.e = record;
        this.data = new DataWriter(record.data);
    }

    public EventWriter type(CharSequence s) {
        e.typeChars = s.length();
        e.typeOff = e.typeChars <= EventRecord.MAX_TYPE_CHARS ? e.putText(s) : -1;
        e.typeLen = e.typeOff < 0 ? 0 : e.textSize - e.typeOff;
        return this;
    }

    /** The type from a decoder's character buffer; nothing is allocated. */
    public EventWriter type(char[] chars, int offset, int length) {
        e.typeChars = length;
        e.typeOff = length <= EventRecord.MAX_TYPE_CHARS ? e.putText(chars, offset, length) : -1;
        e.typeLen = e.typeOff < 0 ? 0 : e.textSize - e.typeOff;
        return this;
    }

    public EventWriter source(CharSequence s) {
        e.sourceChars = s.length();
        e.sourceOff = e.sourceChars <= EventRecord.MAX_SOURCE_CHARS ? e.putText(s) : -1;
        e.sourceLen = e.sourceOff < 0 ? 0 : e.textSize - e.sourceOff;
        return this;
    }

    public EventWriter source(char[] chars, int offset, int length) {
        e.sourceChars = length;
        e.sourceOff = length <= EventRecord.MAX_SOURCE_CHARS ? e.putText(chars, offset, length) : -1;
        e.sourceLen = e.sourceOff < 0 ? 0 : e.textSize - e.sourceOff;
        return this;
    }

    /** The client's event id; without one, validation generates one unique within the run. */
    public EventWriter id(CharSequence s) {
        e.idChars = s.length();
        // -2: present but too long, remembered so validation rejects it
        e.idOff = e.idChars <= EventRecord.MAX_ID_CHARS ? e.putText(s) : -2;
        e.idLen = e.idOff < 0 ? 0 : e.textSize - e.idOff;
        return this;
    }

    public EventWriter id(char[] chars, int offset, int length) {
        e.idChars = length;
        e.idOff = length <= EventRecord.MAX_ID_CHARS ? e.putText(chars, offset, length) : -2;
        e.idLen = e.idOff < 0 ? 0 : e.textSize - e.idOff;
        return this;
    }

    /** Event time, epoch milliseconds; without one, the receive time is used. */
    public EventWriter timestamp(long epochMillis) {
        e.hasTimestamp = true;
        e.timestamp = epochMillis;
        return this;
    }

    /** The {@code data} object, written in document order; leave it unwritten for {@code {}}. */
    public DataWriter data() {
        return data;
    }

    /** Records a schema violation seen while decoding (a wrong JSON type, say). The first one wins. */
    public EventWriter reject(Rejection reason) {
        if (e.rejection == null) {
            e.rejection = reason;
        }
        return this;
    }

    /**
     * Records a schema violation about a named top-level field (an unknown or a repeated one);
     * whether an unknown field is an error is validation's decision. Pass a canonical string
     * (a JSON parser's field name) so nothing is allocated. The first one wins.
     */
    public EventWriter fieldProblem(Rejection reason, String field) {
        if (reason == Rejection.UNKNOWN_FIELD) {
            if (e.fieldName == null) {
                e.fieldName = field;
            }
            return this;
        }
        if (e.rejection == null) {
            e.rejection = reason;
            e.fieldName = field;
        }
        return this;
    }
}
