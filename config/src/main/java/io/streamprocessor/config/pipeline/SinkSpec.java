package io.streamprocessor.config.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One declared sink: its type, its name (unique in a pipeline) and the value of every one of its
 * settings, defaults included, by key ({@code path}, {@code flush-interval}, ...). Made by the
 * configuration from a file entry, or by {@code SinkCatalog.defaults} for a type named alone.
 * Immutable.
 */
public record SinkSpec(String type, String name, Map<String, Object> settings) {
    public SinkSpec {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The value of a setting; the catalogue guarantees it is present and of the setting's type. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        T v = (T) settings.get(key);
        if (v == null && !settings.containsKey(key)) {
            throw new IllegalStateException("sink " + name + " has no setting " + key);
        }
        return v;
    }

    public int integer(String key) {
        return this.<Integer>get(key);
    }

    public Duration duration(String key) {
        return get(key);
    }

    public String text(String key) {
        return get(key);
    }
}
