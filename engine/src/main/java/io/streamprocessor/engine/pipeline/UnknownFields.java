package io.streamprocessor.engine.pipeline;

import java.util.Locale;

/** What validation does with a top-level event field the API does not define. */
public enum UnknownFields {
    /** The event is rejected (a single event gets 400; in a batch it is listed in the errors). */
    REJECT,
    /** The field is ignored and the event is processed. */
    ALLOW;

    /** The name in the configuration ({@code reject}, {@code allow}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
