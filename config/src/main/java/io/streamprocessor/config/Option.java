package io.streamprocessor.config;

import java.util.Locale;

/**
 * One setting: its key in the file ({@code section.name}), the environment variable and flag
 * derived from the key, its type, default and meaning. One name everywhere:
 * {@code server.port} is {@code port:} under {@code server:} in the file, {@code SP_SERVER_PORT}
 * in the environment and {@code --server.port} on the command line. Immutable.
 */
public final class Option<T> {
    private final String key;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String description;
    private final String shortFlag;

    Option(String key, ValueType<T> type, T defaultValue, String description, String shortFlag) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.shortFlag = shortFlag;
    }

    /** {@code server.port}. */
    public String key() {
        return key;
    }

    public String section() {
        return key.substring(0, key.indexOf('.'));
    }

    /** The key within its section, e.g. {@code port}. */
    public String name() {
        return key.substring(key.indexOf('.') + 1);
    }

    /** {@code SP_SERVER_PORT}. */
    public String environmentVariable() {
        return environmentName(key);
    }

    static String environmentName(String key) {
        return "SP_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** {@code --server.port}. */
    public String flag() {
        return "--" + key;
    }

    /** A shorter flag kept from earlier versions ({@code --port}), or null. */
    public String shortFlag() {
        return shortFlag;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    ValueType<T> type() {
        return type;
    }

    /** The default as it would be written in the file, e.g. {@code 60s}. */
    public String defaultText() {
        return type.format(defaultValue);
    }

    String format(T value) {
        return type.format(value);
    }

    @Override
    public String toString() {
        return key;
    }
}
