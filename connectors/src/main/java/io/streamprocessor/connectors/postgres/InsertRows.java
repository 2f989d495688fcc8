package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.EventBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;

/**
 * Rows as multi-row {@code INSERT ... VALUES (...), (...)} statements on one connection: a batch
 * is cut into statements of 1,000, 100, 10 and 1 rows, each size prepared once per connection (so
 * the server plans it once) and each size's statements sent together as one JDBC batch. Also the
 * slow, careful way for a batch the database refused for a value in it: row by row, each in a
 * savepoint. Not thread-safe: the sink's thread only.
 */
final class InsertRows implements AutoCloseable {
    private static final int[] ROWS = {1000, 100, 10, 1};
    private static final int COLUMNS = 6;

    private final Connection connection;
    private final String insert;
    private final String dataCast;
    private final PreparedStatement[] statements = new PreparedStatement[ROWS.length];
    private PreparedStatement asText;

    InsertRows(Connection connection, String table, PostgresSinkSettings.DataType dataType) {
        this.connection = connection;
        this.insert = "INSERT INTO " + table + " (" + PostgresWriter.COLUMNS + ") VALUES ";
        this.dataCast = "::" + dataType.configName();
    }

    /** Inserts events {@code from..size-1} of the batch in the current transaction. */
    void write(EventBatch batch, int from) throws SQLException {
        int i = from;
        for (int s = 0; s < ROWS.length; s++) {
            int rows = ROWS[s];
            int statementsOfSize = (batch.size() - i) / rows;
            if (statementsOfSize == 0) {
                continue;
            }
            PreparedStatement ps = statement(s);
            for (int k = 0; k < statementsOfSize; k++) {
                int p = 1;
                for (int r = 0; r < rows; r++) {
                    p = bind(ps, p, batch, i++);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Inserts events {@code from..size-1} one at a time, each in a savepoint; an event whose data the
     * database refuses (a number beyond its numeric range, say) is stored with its data as a JSON
     * string holding the text, so one such event cannot hold up all the others for ever.
     *
     * @return how many events were stored with their data as text
     */
    int writeRowByRow(EventBatch batch, int from) throws SQLException {
        PreparedStatement one = statement(ROWS.length - 1);
        int asTextCount = 0;
        for (int i = from; i < batch.size(); i++) {
            Savepoint sp = connection.setSavepoint();
            try {
                bind(one, 1, batch, i);
                one.executeUpdate();
            } catch (SQLException e) {
                if (!PostgresErrors.isDataException(e)) {
                    throw e;
                }
                connection.rollback(sp);
                sp = connection.setSavepoint();
                if (asText == null) {
                    asText = connection.prepareStatement(insert + "(?, ?, ?, ?, ?, to_" + dataCast.substring(2) + "(?::text))");
                }
                bind(asText, 1, batch, i);
                asText.executeUpdate();
                asTextCount++;
            }
            connection.releaseSavepoint(sp);
        }
        return asTextCount;
    }

    private PreparedStatement statement(int size) throws SQLException {
        if (statements[size] == null) {
            int rows = ROWS[size];
            StringBuilder sql = new StringBuilder(insert.length() + rows * 32).append(insert);
            for (int r = 0; r < rows; r++) {
                sql.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?").append(dataCast).append(')');
            }
            statements[size] = connection.prepareStatement(sql.toString());
        }
        return statements[size];
    }

    private static int bind(PreparedStatement ps, int p, EventBatch b, int i) throws SQLException {
        if (CopyText.nullId(b, i)) {
            ps.setNull(p, Types.VARCHAR);
        } else {
            ps.setString(p, text(b.id(i)));
        }
        ps.setString(p + 1, text(b.type(i)));
        ps.setString(p + 2, text(b.source(i)));
        ps.setLong(p + 3, b.timestamp(i));
        ps.setLong(p + 4, b.receivedAt(i));
        ps.setString(p + 5, json(b.data(i)));
        return p + COLUMNS;
    }

    /** PostgreSQL stores no NUL in text: U+FFFD in its place, as COPY does. */
    static String text(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    /** JSON text with each escaped NUL character (backslash, u0000; not an escaped backslash before "u0000") made U+FFFD. */
    static String json(String s) {
        int at = s.indexOf("\\u0000");
        if (at < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.startsWith("u0000", i + 1)) {
                out.append("\\ufffd");
                i += 5;
            } else if (c == '\\') {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (int s = 0; s < statements.length; s++) {
            statements[s] = closeQuietly(statements[s]);
        }
        asText = closeQuietly(asText);
    }

    private static PreparedStatement closeQuietly(PreparedStatement ps) {
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away with it
            }
        }
        return null;
    }
}
