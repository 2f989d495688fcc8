package io.streamprocessor.connectors.postgres;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how a PostgreSQL sink writes. Immutable; validated when built, with messages that name
 * the setting ({@code url}, {@code table}, ...), so the configuration can point at the line.
 *
 * @param url            JDBC URL of the database, {@code jdbc:postgresql://host:port/database}; driver
 *                       parameters may follow, except a password
 * @param schema         schema of the table, or null for the server's search path (normally {@code public})
 * @param table          the table, created when absent; folded to lower case as PostgreSQL does an unquoted name
 * @param user           the database user, or null for the URL's {@code user} parameter or else the driver's default
 * @param passwordEnv    name of the environment variable holding the password (never the password itself)
 * @param method         how rows are sent: {@code COPY} (the default, the faster) or multi-row {@code INSERT}
 * @param dataType       column type of {@code data}: {@code jsonb} (the default) or {@code json}, which keeps the text as sent
 * @param connectTimeout longest wait to connect before the attempt counts as failed
 * @param socketTimeout  longest wait for an answer from the server before the attempt counts as failed
 */
public record PostgresSinkSettings(String url, String schema, String table, String user, String passwordEnv,
                                   Method method, DataType dataType, Duration connectTimeout, Duration socketTimeout) {
    public static final String DEFAULT_TABLE = "events";
    /** The variable libpq and psql read too, so a password set up for them works here as well. */
    public static final String DEFAULT_PASSWORD_ENV = "PGPASSWORD";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);

    /** How a batch reaches the table. */
    public enum Method {
        /** {@code COPY ... FROM STDIN}: the rows stream as text in one command. */
        COPY("copy"),
        /** Multi-row {@code INSERT ... VALUES (...), (...)} prepared statements, sent as one JDBC batch. */
        INSERT("insert");

        private final String configName;

        Method(String configName) {
            this.configName = configName;
        }

        /** The name in the configuration file. */
        public String configName() {
            return configName;
        }
    }

    /** Column type of {@code data}. */
    public enum DataType {
        /** Parsed and indexable; numbers are stored by value, so {@code 1e3} reads back as {@code 1000} ({@code 1.50} stays). */
        JSONB("jsonb"),
        /** The text exactly as sent, checked to be JSON; slower to query. */
        JSON("json");

        private final String configName;

        DataType(String configName) {
            this.configName = configName;
        }

        /** The name in the configuration file, and the SQL type. */
        public String configName() {
            return configName;
        }
    }

    public PostgresSinkSettings {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(dataType, "dataType");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: required, e.g. jdbc:postgresql://localhost:5432/postgres");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url: " + url + " is not a PostgreSQL JDBC URL; expected "
                + "jdbc:postgresql://host:port/database");
        }
        if (org.postgresql.Driver.parseURL(url, null) == null) {
            throw new IllegalArgumentException("url: " + url + " is not a valid PostgreSQL JDBC URL; expected "
                + "jdbc:postgresql://host:port/database");
        }
        if (PASSWORD_PARAM.matcher(url).find()) {
            throw new IllegalArgumentException("url: must not contain a password; put it in the environment variable "
                + "named by password-env (" + (passwordEnv == null ? DEFAULT_PASSWORD_ENV : passwordEnv) + ")");
        }
        table = name("table", table == null ? DEFAULT_TABLE : table);
        schema = schema == null ? null : name("schema", schema);
        if (passwordEnv == null || !ENV_NAME.matcher(passwordEnv).matches()) {
            throw new IllegalArgumentException("password-env: " + passwordEnv + " is not an environment variable name; "
                + "give the variable's name (letters, digits and _), not the password");
        }
        if (user != null && user.isBlank()) {
            user = null;
        }
        positive("connect-timeout", connectTimeout);
        positive("socket-timeout", socketTimeout);
    }

    private static String name(String setting, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(setting + ": \"" + value + "\" is not a valid name; use letters, digits "
                + "and _, starting with a letter or _, at most 63 characters");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static void positive(String setting, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + ": must be a positive duration, got " + d);
        }
    }

    /** The table as SQL: quoted, schema-qualified when a schema is set. */
    String qualifiedTable() {
        return qualified(table);
    }

    /** Another table in the same schema, as SQL. */
    String qualified(String name) {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /** The table for messages: {@code public.events} or {@code events}. */
    String tableInWords() {
        return schema == null ? table : schema + "." + table;
    }

    private static String quote(String name) {
        return '"' + name + '"'; // validated: no quote inside
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Builds {@link PostgresSinkSettings} from the defaults. Not thread-safe. */
    public static final class Builder {
        private final String url;
        private String schema;
        private String table = DEFAULT_TABLE;
        private String user;
        private String passwordEnv = DEFAULT_PASSWORD_ENV;
        private Method method = Method.COPY;
        private DataType dataType = DataType.JSONB;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

        private Builder(String url) {
            this.url = url;
        }

        /** {@code name} or {@code schema.name}. */
        public Builder table(String table) {
            int dot = table == null ? -1 : table.indexOf('.');
            if (dot >= 0) {
                this.schema = table.substring(0, dot);
                this.table = table.substring(dot + 1);
            } else {
                this.schema = null;
                this.table = table;
            }
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder passwordEnv(String variable) {
            this.passwordEnv = variable;
            return this;
        }

        public Builder method(Method method) {
            this.method = method;
            return this;
        }

        public Builder dataType(DataType type) {
            this.dataType = type;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        public PostgresSinkSettings build() {
            return new PostgresSinkSettings(url, schema, table, user, passwordEnv, method, dataType, connectTimeout,
                socketTimeout);
        }
    }
}
