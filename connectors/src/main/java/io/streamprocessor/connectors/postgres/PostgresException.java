package io.streamprocessor.connectors.postgres;

/** A failed attempt to reach or write the database, its message in words about the target. */
final class PostgresException extends Exception {
    PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
