package io.streamprocessor.config;

/**
 * A configuration mistake. {@link #getMessage()} is one line a person can act on: where the value
 * came from (file and line, environment variable or flag), the key, what is wrong and what is
 * allowed. Carries no stack trace: print the message, never the exception.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    static ConfigException at(Origin origin, String key, String problem) {
        return new ConfigException(origin + ": " + key + ": " + problem);
    }
}
