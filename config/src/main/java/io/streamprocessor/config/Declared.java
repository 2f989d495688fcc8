package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.config.pipeline.SinkSpec;

import java.util.Map;

/** Values as read from one source, before they are checked and merged. */
final class Declared {
    private Declared() {
    }

    /** The text of one setting and where it was found. */
    record Raw(String text, Origin origin) { }

    /** A pipeline step, with the key ({@code pipeline[2].filter}) and line it was declared at. */
    record Step(Pipeline.Step step, String key, Origin origin) { }

    /**
     * A sink, with where it was declared ({@code sinks[1]}), and where each setting given
     * explicitly was; the others are at their defaults.
     */
    record Sink(SinkSpec spec, String key, Origin origin, Map<String, Origin> settingOrigins) { }
}
