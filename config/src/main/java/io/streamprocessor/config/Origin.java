package io.streamprocessor.config;

/**
 * Where a value came from, for error messages and {@code --print-config}: a default, a line of
 * the configuration file, an environment variable or a command-line flag. Immutable.
 */
public record Origin(Kind kind, String name, int line) {
    /** In increasing order of precedence. */
    public enum Kind { DEFAULT, FILE, ENVIRONMENT, FLAG }

    public static final Origin DEFAULT = new Origin(Kind.DEFAULT, "default", 0);

    static Origin file(String file, int line) {
        return new Origin(Kind.FILE, file, line);
    }

    static Origin environment(String variable) {
        return new Origin(Kind.ENVIRONMENT, variable, 0);
    }

    static Origin flag(String flag) {
        return new Origin(Kind.FLAG, flag, 0);
    }

    /** {@code default}, {@code file.yaml:12}, {@code environment SP_SERVER_PORT} or {@code flag --port}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case FILE -> name + ":" + line;
            case ENVIRONMENT -> "environment " + name;
            case FLAG -> "flag " + name;
        };
    }
}
