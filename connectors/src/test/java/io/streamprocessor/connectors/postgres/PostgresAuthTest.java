package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.BufferedSink;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The password comes from the environment variable the settings name, and a refused login is said
 * in words. The server asks user {@code writer} for a password (SCRAM); the superuser keeps trust.
 */
class PostgresAuthTest {
    private static final String VARIABLE = "SP_TEST_PG_PASSWORD";
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static TestPostgres pg;

    @BeforeAll
    static void startDatabaseWithPasswords() throws IOException {
        pg = TestPostgres.start();
        pg.execute("CREATE ROLE writer LOGIN PASSWORD 's3cret'", "CREATE SCHEMA app AUTHORIZATION writer");
        String hba = String.join("\n",
            "local all all trust",
            "host all postgres 127.0.0.1/32 trust",
            "host all postgres ::1/128 trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256", "");
        Files.writeString(pg.dataDirectory().resolve("pg_hba.conf"), hba);
        pg.execute("SELECT pg_reload_conf()");
    }

    @AfterAll
    static void stopDatabase() {
        pg.close();
    }

    /** Sends three events through a sink logging in as writer, with the given environment; its status once settled. */
    private static SinkStatus sendAs(UnaryOperator<String> environment, String table) {
        PostgresSinkSettings s = PostgresSinkSettings.builder(pg.url()).user("writer").passwordEnv(VARIABLE)
            .table("app." + table).build();
        BufferedSink sink = new BufferedSink("pg", new PostgresWriter(s, environment),
            BufferSettings.builder().retry(Duration.ofMillis(20), Duration.ofMillis(100)).drainTimeout(Duration.ofMillis(200)).build());
        try (StreamProcessor p = StreamProcessor.builder().addSink(sink).build().start()) {
            Feed.send(p, 0, 3, Feed::plain);
            Feed.await("written or failing", WITHIN, () -> sink.status().written() == 3 || sink.status().failing());
            return sink.status();
        }
    }

    @Test
    void thePasswordIsReadFromTheNamedEnvironmentVariable() {
        SinkStatus s = sendAs(name -> name.equals(VARIABLE) ? "s3cret" : null, "by_password");
        assertEquals(3, s.written());
        assertEquals(List.of(Map.of("owner", "writer", "n", 3L)), pg.query(
            "SELECT tableowner AS owner, (SELECT count(*) FROM app.by_password) AS n FROM pg_tables WHERE tablename = 'by_password'"));
    }

    @Test
    void aWrongPasswordIsSaidInWords() {
        SinkStatus s = sendAs(name -> name.equals(VARIABLE) ? "wrong" : null, "wrong_password");
        assertEquals(0, s.written());
        assertEquals("authentication failed for user writer at localhost:" + pg.port(), s.lastError());
    }

    @Test
    void aMissingVariableIsNamed() {
        SinkStatus s = sendAs(name -> null, "no_password");
        assertEquals("authentication failed for user writer at localhost:" + pg.port()
            + ": the server asks for a password and the environment variable " + VARIABLE + " is not set", s.lastError());
    }
}
