package io.streamprocessor.engine.event;

/**
 * Why an event was rejected, one constant per rule of the event schema. Each carries the
 * message a client sees, naming the field; constants, so rejecting allocates nothing.
 */
public enum Rejection {
    TYPE_MISSING("type: required"),
    TYPE_NOT_STRING("type: must be a string"),
    TYPE_LENGTH("type: must be 1-128 characters"),
    SOURCE_MISSING("source: required"),
    SOURCE_NOT_STRING("source: must be a string"),
    SOURCE_LENGTH("source: must be 1-256 characters"),
    ID_NOT_STRING("id: must be a string"),
    ID_LENGTH("id: must be 1-256 characters"),
    TIMESTAMP_NOT_INTEGER("timestamp: must be an integer (epoch milliseconds)"),
    TIMESTAMP_NOT_POSITIVE("timestamp: must be > 0"),
    TIMESTAMP_IN_FUTURE("timestamp: too far in the future"),
    DATA_NOT_OBJECT("data: must be an object"),
    DATA_TOO_DEEP("data: nesting deeper than the limit"),
    DATA_TOO_MANY_FIELDS("data: more fields than the limit"),
    DATA_TOO_LARGE("data: too large"),
    /** Prefixed with the configured value path, e.g. {@code data.value}. */
    VALUE_OUT_OF_RANGE(": number out of range; a double holds magnitudes up to about 1.8e308"),
    UNKNOWN_FIELD("unknown field"),
    DUPLICATE_FIELD("duplicate field"),
    NOT_AN_OBJECT("event: must be a JSON object"),
    PIPELINE_ERROR("event: a filter, transform or aggregation failed on this event");

    private final String message;

    Rejection(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
