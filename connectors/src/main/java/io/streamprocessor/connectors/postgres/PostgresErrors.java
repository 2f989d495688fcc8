package io.streamprocessor.connectors.postgres;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

/**
 * Puts a failure of the database or of the driver into words about the sink's target, e.g.
 * "postgres at localhost:5432 unreachable" or "authentication failed for user app at
 * localhost:5432", never an exception class name. Immutable.
 */
final class PostgresErrors {
    private final String at;
    private final String database;
    private final String user;
    private final String passwordEnv;
    private final long socketTimeoutSeconds;

    PostgresErrors(String hostPort, String database, String user, String passwordEnv, long socketTimeoutSeconds) {
        this.at = "postgres at " + hostPort;
        this.database = database;
        this.user = user;
        this.passwordEnv = passwordEnv;
        this.socketTimeoutSeconds = socketTimeoutSeconds;
    }

    /** A failure while connecting or preparing the table. */
    PostgresException connecting(SQLException e, boolean passwordSet) {
        String state = state(e);
        String message = switch (state) {
            case "28P01", "28000" -> "authentication failed for user " + user + " at " + hostPort()
                + (passwordSet ? "" : " (the environment variable " + passwordEnv + " is not set)");
            case "08004" -> passwordSet
                ? "authentication failed for user " + user + " at " + hostPort() + ": " + serverText(e)
                : "authentication failed for user " + user + " at " + hostPort() + ": the server asks for a password "
                    + "and the environment variable " + passwordEnv + " is not set";
            case "3D000" -> "database " + database + " does not exist at " + hostPort();
            default -> describe(e);
        };
        return new PostgresException(message, e);
    }

    /** A failure while writing a batch. */
    PostgresException writing(SQLException e) {
        return new PostgresException(describe(e), e);
    }

    private String describe(SQLException e) {
        String state = state(e);
        if (state.equals("08001")) {
            return at + " unreachable";
        }
        if (hasCause(e, SocketTimeoutException.class)) {
            return at + " did not answer within " + socketTimeoutSeconds + " s";
        }
        if (state.startsWith("08")) {
            return at + ": connection lost";
        }
        if (state.equals("57P01") || state.equals("57P02")) {
            return at + " shut down";
        }
        if (state.equals("57P03")) {
            return at + " is starting up or shutting down";
        }
        return at + ": " + serverText(e);
    }

    private String hostPort() {
        return at.substring("postgres at ".length());
    }

    /** The server's own sentence (e.g. {@code permission denied for table events}) without the driver's framing. */
    private static String serverText(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage m = p.getServerErrorMessage();
            if (m != null && m.getMessage() != null) {
                return m.getMessage();
            }
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "error " + state(e);
        }
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }

    static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }

    /** SQLSTATE class 22: the database refuses a value itself (a number beyond its range, a byte sequence). */
    static boolean isDataException(SQLException e) {
        return state(e).startsWith("22");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
