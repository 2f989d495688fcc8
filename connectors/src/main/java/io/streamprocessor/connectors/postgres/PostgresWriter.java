package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.EventBatch;
import io.streamprocessor.connectors.SinkWriter;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Writes batches of events into a PostgreSQL table over JDBC, one transaction per batch, by
 * {@code COPY} or multi-row {@code INSERT}. Creates the table when absent.
 *
 * <p>Exactly once within a process run: each transaction also moves this writer's row in
 * {@value #PROGRESS} (its count of events committed), under a row lock taken first. When a commit
 * went through but its answer was lost, the retried batch finds the count ahead of its own and
 * skips the events already stored, instead of storing them twice.
 *
 * <p>Called by its {@code BufferedSink}'s thread only; not thread-safe.
 */
final class PostgresWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.connectors");
    static final String COLUMNS = "id, type, source, \"timestamp\", received_at, data";
    static final String PROGRESS = "stream_processor_sinks";
    /** COPY data is sent in chunks of about this size, so a batch never needs one huge buffer. */
    private static final int COPY_CHUNK = 256 * 1024;

    private final PostgresSinkSettings settings;
    private final UnaryOperator<String> environment;
    private final PostgresErrors errors;
    private final String target;
    private final String table;
    private final String progressTable;
    private final String writerId = UUID.randomUUID().toString();
    private final CopyText copyText = new CopyText();

    private Connection connection;
    private InsertRows inserts;
    private PreparedStatement lockProgress;
    private PreparedStatement moveProgress;
    /** Events this writer has committed: what its progress row says after each of its commits. */
    private long committed;

    /**
     * @param environment the process environment ({@code System::getenv}); tests pass their own
     */
    PostgresWriter(PostgresSinkSettings settings, UnaryOperator<String> environment) {
        this.settings = settings;
        this.environment = environment;
        Properties url = Driver.parseURL(settings.url(), null);
        String hostPort = hostPorts(url.getProperty("PGHOST", "localhost"), url.getProperty("PGPORT", "5432"));
        String database = url.getProperty("PGDBNAME", "");
        String user = settings.user() != null ? settings.user() : url.getProperty("user", System.getProperty("user.name"));
        this.errors = new PostgresErrors(hostPort, database, user, settings.passwordEnv(), seconds(settings.socketTimeout()));
        this.table = settings.qualifiedTable();
        this.progressTable = settings.qualified(PROGRESS);
        this.target = "postgres table " + settings.tableInWords() + " at " + hostPort + "/" + database;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public void open() throws PostgresException {
        Properties p = new Properties();
        if (settings.user() != null) {
            p.setProperty("user", settings.user());
        }
        String password = environment.apply(settings.passwordEnv());
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", Long.toString(seconds(settings.connectTimeout())));
        p.setProperty("loginTimeout", Long.toString(seconds(settings.connectTimeout())));
        p.setProperty("socketTimeout", Long.toString(seconds(settings.socketTimeout())));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "stream-processor");
        try {
            connection = new Driver().connect(settings.url(), p);
            prepare();
        } catch (SQLException e) {
            close();
            throw errors.connecting(e, password != null);
        }
    }

    /** Creates the tables when absent and this writer's progress row; leaves the connection in a transaction. */
    private void prepare() throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id text, type text NOT NULL, source text NOT NULL, "
                + "\"timestamp\" bigint NOT NULL, received_at bigint NOT NULL, data " + settings.dataType().configName()
                + " NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + progressTable + " (writer text PRIMARY KEY, table_name text NOT NULL, "
                + "events bigint NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz)");
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + progressTable
            + " (writer, table_name, events) VALUES (?, ?, ?) ON CONFLICT (writer) DO NOTHING")) {
            s.setString(1, writerId);
            s.setString(2, settings.tableInWords());
            s.setLong(3, committed);
            s.executeUpdate();
        }
        connection.setAutoCommit(false);
        lockProgress = connection.prepareStatement("SELECT events FROM " + progressTable + " WHERE writer = ? FOR UPDATE");
        lockProgress.setString(1, writerId);
        moveProgress = connection.prepareStatement("UPDATE " + progressTable + " SET events = ?, updated_at = now() WHERE writer = ?");
        moveProgress.setString(2, writerId);
        inserts = new InsertRows(connection, table, settings.dataType());
    }

    @Override
    public void write(EventBatch batch) throws PostgresException {
        try {
            deliver(batch, false);
        } catch (SQLException e) {
            rollbackQuietly();
            if (!PostgresErrors.isDataException(e)) {
                throw errors.writing(e);
            }
            // A value the database refuses fails every retry of the same rows: take them one by one.
            try {
                deliver(batch, true);
            } catch (SQLException again) {
                rollbackQuietly();
                throw errors.writing(again);
            }
        }
    }

    private void deliver(EventBatch batch, boolean rowByRow) throws SQLException {
        long stored = lockedProgress();
        long skip = stored - committed; // > 0 only when an earlier commit of this batch's start went through unseen
        if (skip < 0 || skip > batch.size()) {
            throw new SQLException("the progress row of this sink in " + PROGRESS + " says " + stored
                + " events were committed, this sink counts " + committed + "; was the row changed by hand?");
        }
        int from = (int) skip;
        if (from < batch.size()) {
            if (rowByRow) {
                int asText = inserts.writeRowByRow(batch, from);
                if (asText > 0) {
                    LOG.warn("stream-processor: {}: the database refused the data of {} event(s) as {}; stored as JSON "
                        + "strings holding the text", target, asText, settings.dataType().configName());
                }
            } else if (settings.method() == PostgresSinkSettings.Method.COPY) {
                copy(batch, from);
            } else {
                inserts.write(batch, from);
            }
            moveProgress.setLong(1, stored + batch.size() - from);
            moveProgress.executeUpdate();
        }
        connection.commit();
        committed = stored + batch.size() - from;
    }

    private long lockedProgress() throws SQLException {
        try (ResultSet r = lockProgress.executeQuery()) {
            if (r.next()) {
                return r.getLong(1);
            }
        }
        throw new SQLException("the progress row of this sink in " + PROGRESS + " is gone; was it deleted by hand?");
    }

    private void copy(EventBatch batch, int from) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN");
        try {
            copyText.clear();
            for (int i = from; i < batch.size(); i++) {
                copyText.row(batch, i);
                if (copyText.length() >= COPY_CHUNK) {
                    in.writeToCopy(copyText.buffer(), 0, copyText.length());
                    copyText.clear();
                }
            }
            if (copyText.length() > 0) {
                in.writeToCopy(copyText.buffer(), 0, copyText.length());
            }
            in.endCopy();
        } finally {
            if (in.isActive()) {
                cancelQuietly(in);
            }
        }
    }

    private static void cancelQuietly(CopyIn in) {
        try {
            in.cancelCopy();
        } catch (SQLException ignored) {
            // the failure that got us here is the one to report
        }
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // a lost connection rolled the transaction back already
        }
    }

    @Override
    public void close() {
        if (inserts != null) {
            inserts.close();
            inserts = null;
        }
        lockProgress = null;
        moveProgress = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server is already gone
            }
            connection = null;
        }
    }

    /** {@code localhost:5432}, or {@code a:5432 or b:5433} for a URL naming several servers. */
    private static String hostPorts(String hosts, String ports) {
        String[] h = hosts.split(",");
        String[] p = ports.split(",");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < h.length; i++) {
            out.append(i == 0 ? "" : " or ").append(h[i]).append(':').append(p[Math.min(i, p.length - 1)]);
        }
        return out.toString();
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
