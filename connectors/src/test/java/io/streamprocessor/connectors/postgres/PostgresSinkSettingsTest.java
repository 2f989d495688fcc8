package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.postgres.PostgresSinkSettings.DataType;
import io.streamprocessor.connectors.postgres.PostgresSinkSettings.Method;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sink's settings: documented defaults, and mistakes named by their setting. */
class PostgresSinkSettingsTest {
    private static final String URL = "jdbc:postgresql://localhost:5432/app";

    private static String refused(PostgresSinkSettings.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void defaults() {
        PostgresSinkSettings s = PostgresSinkSettings.builder(URL).build();
        assertEquals("events", s.table());
        assertNull(s.schema());
        assertNull(s.user());
        assertEquals("PGPASSWORD", s.passwordEnv());
        assertEquals(Method.COPY, s.method());
        assertEquals(DataType.JSONB, s.dataType());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(60), s.socketTimeout());
        assertEquals("\"events\"", s.qualifiedTable());
    }

    @Test
    void aTableNameIsFoldedToLowerCaseAndMayNameItsSchema() {
        PostgresSinkSettings s = PostgresSinkSettings.builder(URL).table("Analytics.Page_Views").build();
        assertEquals("analytics", s.schema());
        assertEquals("page_views", s.table());
        assertEquals("\"analytics\".\"page_views\"", s.qualifiedTable());
        assertEquals("analytics.page_views", s.tableInWords());
    }

    @Test
    void aTableNameThatIsNotAnIdentifierIsRefusedByName() {
        assertEquals("table: \"page-views\" is not a valid name; use letters, digits and _, starting with a letter or _, "
            + "at most 63 characters", refused(PostgresSinkSettings.builder(URL).table("page-views")));
        assertEquals("table: \"x\"; drop table y\" is not a valid name; use letters, digits and _, starting with a letter "
            + "or _, at most 63 characters", refused(PostgresSinkSettings.builder(URL).table("x\"; drop table y")));
        assertEquals("schema: \"1st\" is not a valid name; use letters, digits and _, starting with a letter or _, "
            + "at most 63 characters", refused(PostgresSinkSettings.builder(URL).table("1st.events")));
        assertEquals("table: \"" + "t".repeat(64) + "\" is not a valid name; use letters, digits and _, starting with a "
            + "letter or _, at most 63 characters", refused(PostgresSinkSettings.builder(URL).table("t".repeat(64))));
    }

    @Test
    void theUrlMustBeAPostgresJdbcUrlWithoutAPassword() {
        assertEquals("url: required, e.g. jdbc:postgresql://localhost:5432/postgres",
            refused(PostgresSinkSettings.builder(" ")));
        assertEquals("url: mysql://localhost/app is not a PostgreSQL JDBC URL; expected jdbc:postgresql://host:port/database",
            refused(PostgresSinkSettings.builder("mysql://localhost/app")));
        assertEquals("url: jdbc:postgresql://localhost:notaport/app is not a valid PostgreSQL JDBC URL; expected "
            + "jdbc:postgresql://host:port/database", refused(PostgresSinkSettings.builder("jdbc:postgresql://localhost:notaport/app")));
        assertEquals("url: must not contain a password; put it in the environment variable named by password-env (PGPASSWORD)",
            refused(PostgresSinkSettings.builder(URL + "?user=app&password=hunter2")));
    }

    @Test
    void passwordEnvIsTheNameOfAVariableNotAPassword() {
        assertEquals("password-env: hunter2! is not an environment variable name; give the variable's name "
            + "(letters, digits and _), not the password", refused(PostgresSinkSettings.builder(URL).passwordEnv("hunter2!")));
        assertEquals("APP_DB_PASSWORD", PostgresSinkSettings.builder(URL).passwordEnv("APP_DB_PASSWORD").build().passwordEnv());
    }

    @Test
    void timeoutsMustBePositive() {
        assertEquals("connect-timeout: must be a positive duration, got PT0S",
            refused(PostgresSinkSettings.builder(URL).connectTimeout(Duration.ZERO)));
        assertEquals("socket-timeout: must be a positive duration, got PT-1S",
            refused(PostgresSinkSettings.builder(URL).socketTimeout(Duration.ofSeconds(-1))));
    }
}
