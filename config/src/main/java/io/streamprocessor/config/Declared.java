package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;

/** Values as read from one source, before they are checked and merged. */
final class Declared {
    private Declared() {
    }

    /** The text of one setting and where it was found. */
    record Raw(String text, Origin origin) { }

    /** A pipeline step, with the key ({@code pipeline[2].filter}) and line it was declared at. */
    record Step(Pipeline.Step step, String key, Origin origin) { }

    /** A sink type, with where it was declared. */
    record Sink(String type, String key, Origin origin) { }
}
