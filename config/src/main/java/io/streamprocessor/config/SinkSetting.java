package io.streamprocessor.config;

/**
 * One setting of a sink type: its key inside the sink's entry in {@code sinks:} (such as
 * {@code path}), how its text is read, its default (null when the setting is required) and its
 * meaning, for errors, {@code --help} and {@code --print-config}. Immutable.
 */
record SinkSetting<T>(String key, ValueType<T> type, T defaultValue, String description) {
    boolean required() {
        return defaultValue == null;
    }

    String defaultText() {
        return defaultValue == null ? "(required)" : type.format(defaultValue);
    }
}
