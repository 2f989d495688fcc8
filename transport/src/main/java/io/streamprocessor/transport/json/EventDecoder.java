package io.streamprocessor.transport.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import io.netty.buffer.ByteBuf;
import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventWriter;
import io.streamprocessor.engine.event.Rejection;

import java.io.IOException;

/**
 * Decodes JSON events with jackson-core's streaming parser straight into claimed ring slots:
 * no tree, no databind, and no garbage per event (strings go from the parser's char buffer into
 * the slot's byte arena, numbers are parsed from the parser's buffer). A wrong JSON type or a
 * broken limit is recorded on the slot for the validate stage to reject; only malformed JSON
 * throws, and then the caller publishes the request's slots void and answers with
 * {@link #malformed}, which says what is wrong in words about the request (the parser's own
 * messages are never passed on).
 *
 * <p>Not thread-safe: one per I/O thread.
 */
public final class EventDecoder {
    private static final int TYPE = 1;
    private static final int SOURCE = 2;
    private static final int ID = 4;
    private static final int TIMESTAMP = 8;
    private static final int DATA = 16;
    private static final int MAX_JSON_DEPTH = 1_000;
    private static final int MAX_NUMBER_DIGITS = 64;
    private static final int MAX_NAME_CHARS = 50_000;
    private static final int MAX_STRING_CHARS = 20_000_000;

    private final JsonFactory factory;
    private final JsonSyntax syntax;
    private final int maxDataDepth;
    private final int maxDataFields;

    public EventDecoder(int maxDataDepth, int maxDataFields) {
        this.maxDataDepth = maxDataDepth;
        this.maxDataFields = maxDataFields;
        // Far above the data limit, so that an element nested too deep is rejected on its own
        // rather than sinking its batch as malformed JSON; still bounds the parser's context chain.
        int maxNesting = Math.max(MAX_JSON_DEPTH, maxDataDepth + 8);
        this.factory = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNesting)
                .maxNumberLength(MAX_NUMBER_DIGITS)
                .maxNameLength(MAX_NAME_CHARS)
                .maxStringLength(MAX_STRING_CHARS)
                .build())
            .build();
        // The same limits, so that a body refused for breaking one is told which.
        this.syntax = new JsonSyntax(maxNesting, MAX_NUMBER_DIGITS, MAX_NAME_CHARS, MAX_STRING_CHARS);
    }

    /** A parser over a request body held in an array; it reads the array in place. */
    public JsonParser parser(BodyBytes body) throws IOException {
        return factory.createParser(body.array(), body.offset(), body.length());
    }

    /**
     * Null when {@code body[from, to)} is one well-formed JSON value within this decoder's
     * limits, else the 400 message saying what is wrong (see {@link JsonSyntax}).
     */
    public String syntaxError(ByteBuf body, int from, int to) {
        return syntax.firstError(body, from, to);
    }

    /**
     * The 400 message for a body this decoder's parser refused or that is not one JSON text:
     * {@code malformed JSON: <what> (line L, column C)}. Reads {@code body[from, to)}, which the
     * parser may have consumed; allocates, but only on this error path.
     */
    public String malformed(ByteBuf body, int from, int to) {
        String error = syntaxError(body, from, to);
        // The scan agrees with the parser on every refusal; should a parser change ever make them
        // differ, the client still gets no parser text.
        return error != null ? error : "malformed JSON: the body is not a single JSON value";
    }

    /**
     * Reads one event object into {@code slot}; the parser must stand on the object's
     * {@code START_OBJECT} and is left on its {@code END_OBJECT}.
     *
     * @throws IOException when the JSON is malformed
     */
    public void decodeObject(JsonParser p, EventWriter slot) throws IOException {
        int seen = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int field = fieldBit(name);
            if (field != 0) {
                if ((seen & field) != 0) {
                    slot.fieldProblem(Rejection.DUPLICATE_FIELD, name);
                    p.skipChildren();
                    continue;
                }
                seen |= field;
            }
            switch (field) {
                case TYPE -> {
                    if (t == JsonToken.VALUE_STRING) {
                        slot.type(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    } else {
                        slot.reject(Rejection.TYPE_NOT_STRING);
                        p.skipChildren();
                    }
                }
                case SOURCE -> {
                    if (t == JsonToken.VALUE_STRING) {
                        slot.source(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    } else {
                        slot.reject(Rejection.SOURCE_NOT_STRING);
                        p.skipChildren();
                    }
                }
                case ID -> {
                    if (t == JsonToken.VALUE_STRING) {
                        slot.id(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    } else {
                        slot.reject(Rejection.ID_NOT_STRING);
                        p.skipChildren();
                    }
                }
                case TIMESTAMP -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        slot.timestamp(p.getLongValue());
                    } else {
                        slot.reject(Rejection.TIMESTAMP_NOT_INTEGER);
                        p.skipChildren();
                    }
                }
                case DATA -> {
                    if (t == JsonToken.START_OBJECT) {
                        decodeData(p, slot);
                    } else {
                        slot.reject(Rejection.DATA_NOT_OBJECT);
                        p.skipChildren();
                    }
                }
                default -> {
                    slot.fieldProblem(Rejection.UNKNOWN_FIELD, name);
                    p.skipChildren();
                }
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("event object not closed");
        }
    }

    private static int fieldBit(String name) {
        return switch (name) {
            case "type" -> TYPE;
            case "source" -> SOURCE;
            case "id" -> ID;
            case "timestamp" -> TIMESTAMP;
            case "data" -> DATA;
            default -> 0;
        };
    }

    /** Copies the data object's tokens to the slot's tape; past a limit it only checks the JSON. */
    private void decodeData(JsonParser p, EventWriter slot) throws IOException {
        DataWriter tape = slot.data();
        tape.startObject();
        int depth = 1;
        boolean writing = true;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("data object not closed");
            }
            int id = t.id();
            if (id == JsonTokenId.ID_START_OBJECT || id == JsonTokenId.ID_START_ARRAY) {
                depth++;
                if (writing && depth > maxDataDepth) {
                    slot.reject(Rejection.DATA_TOO_DEEP);
                    writing = false;
                }
            } else if (id == JsonTokenId.ID_END_OBJECT || id == JsonTokenId.ID_END_ARRAY) {
                depth--;
            }
            if (!writing) {
                continue;
            }
            switch (id) {
                case JsonTokenId.ID_START_OBJECT -> tape.startObject();
                case JsonTokenId.ID_END_OBJECT -> tape.endObject();
                case JsonTokenId.ID_START_ARRAY -> tape.startArray();
                case JsonTokenId.ID_END_ARRAY -> tape.endArray();
                case JsonTokenId.ID_FIELD_NAME -> {
                    if (tape.fieldCount() >= maxDataFields) {
                        slot.reject(Rejection.DATA_TOO_MANY_FIELDS);
                        writing = false;
                    } else {
                        tape.name(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                }
                case JsonTokenId.ID_STRING -> tape.string(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case JsonTokenId.ID_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        number(p, tape);
                    } else {
                        tape.number(p.getLongValue());
                    }
                }
                case JsonTokenId.ID_NUMBER_FLOAT -> number(p, tape);
                case JsonTokenId.ID_TRUE -> tape.bool(true);
                case JsonTokenId.ID_FALSE -> tape.bool(false);
                case JsonTokenId.ID_NULL -> tape.nullValue();
                default -> throw new IOException("data holds something that is not JSON"); // unreachable with a byte parser
            }
        }
        if (tape.overflowed()) {
            slot.reject(Rejection.DATA_TOO_LARGE);
        }
    }

    private static void number(JsonParser p, DataWriter tape) throws IOException {
        char[] text = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        tape.number(NumberInput.parseDouble(text, offset, length, true), text, offset, length);
    }
}
