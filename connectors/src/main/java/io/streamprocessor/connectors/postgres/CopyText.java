package io.streamprocessor.connectors.postgres;

import io.streamprocessor.connectors.EventBatch;

import java.util.Arrays;

/**
 * Rows in the text format of {@code COPY ... FROM STDIN}, made straight from the events' JSON lines
 * without allocating: columns id, type, source, timestamp, received_at, data, separated by tabs,
 * one row per line, {@code \N} for a null id. Backslash, tab, newline and carriage return are
 * escaped; any other byte, UTF-8 included, goes through as it is.
 *
 * <p>PostgreSQL cannot store the NUL character, neither in {@code text} nor escaped in {@code jsonb};
 * it is written as U+FFFD (the replacement character), so such an event is stored, not refused
 * for ever. Not thread-safe; the buffer is reused.
 */
final class CopyText {
    private static final byte[] REPLACEMENT_UTF8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final byte[] REPLACEMENT_JSON = {'\\', '\\', 'u', 'f', 'f', 'f', 'd'};
    /** Length of {@code {"id":}, of {@code ,"type":"} and of {@code ,"source":"}: the fixed text between the strings. */
    private static final int ID_VALUE = 6;
    private static final int TYPE_VALUE = 9;
    private static final int SOURCE_VALUE = 11;

    private byte[] buf = new byte[256 * 1024];
    private int pos;

    byte[] buffer() {
        return buf;
    }

    int length() {
        return pos;
    }

    void clear() {
        pos = 0;
    }

    /** True when event {@code i} has no id: its line starts {@code {"id":null}. */
    static boolean nullId(EventBatch batch, int i) {
        return batch.array()[batch.lineStart(i) + ID_VALUE] == 'n';
    }

    /** Appends event {@code i} of the batch as one row. */
    void row(EventBatch batch, int i) {
        byte[] line = batch.array();
        ensure(batch.lineLength(i) * 2 + 64);
        // the line is {"id":"..."|null,"type":"...","source":"...",...: its strings are found by their quotes
        int p = batch.lineStart(i) + ID_VALUE;
        if (line[p] == 'n') {
            put((byte) '\\');
            put((byte) 'N');
            p += 4;
        } else {
            int end = stringEnd(line, p + 1);
            text(line, p + 1, end);
            p = end + 1;
        }
        put((byte) '\t');
        p += TYPE_VALUE;
        int end = stringEnd(line, p);
        text(line, p, end);
        put((byte) '\t');
        p = end + 1 + SOURCE_VALUE;
        end = stringEnd(line, p);
        text(line, p, end);
        put((byte) '\t');
        number(batch.timestamp(i));
        put((byte) '\t');
        number(batch.receivedAt(i));
        put((byte) '\t');
        json(line, batch.dataStart(i), batch.dataStart(i) + batch.dataLength(i));
        put((byte) '\n');
    }

    /** Where a JSON string's text ends: its first unescaped quote. */
    private static int stringEnd(byte[] line, int i) {
        while (line[i] != '"') {
            i += line[i] == '\\' ? 2 : 1;
        }
        return i;
    }

    /**
     * A JSON string's escaped text as a COPY value: JSON escapes undone ({@code \"}, {@code \\},
     * and the six-character escapes of control characters, all the event encoder writes), COPY's escapes applied.
     */
    private void text(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != '\\') {
                put(c);
                continue;
            }
            byte e = b[++i];
            if (e == 'u') {
                control(hex(b[i + 1]) << 12 | hex(b[i + 2]) << 8 | hex(b[i + 3]) << 4 | hex(b[i + 4]));
                i += 4;
            } else if (e == '\\') {
                put((byte) '\\');
                put((byte) '\\');
            } else {
                put(e);
            }
        }
    }

    private static int hex(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private void control(int ch) {
        switch (ch) {
            case 0 -> {
                ensure(3);
                System.arraycopy(REPLACEMENT_UTF8, 0, buf, pos, 3);
                pos += 3;
            }
            case '\t' -> {
                put((byte) '\\');
                put((byte) 't');
            }
            case '\n' -> {
                put((byte) '\\');
                put((byte) 'n');
            }
            case '\r' -> {
                put((byte) '\\');
                put((byte) 'r');
            }
            default -> put((byte) ch); // other control characters are taken literally by COPY
        }
    }

    /** JSON text as a COPY value: it has no raw control characters, so only its backslashes need doubling. */
    private void json(byte[] b, int from, int to) {
        ensure((to - from) * 2 + 8);
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != '\\') {
                buf[pos++] = c;
                continue;
            }
            byte e = b[i + 1];
            if (e == 'u' && isNulEscape(b, i)) {
                System.arraycopy(REPLACEMENT_JSON, 0, buf, pos, REPLACEMENT_JSON.length);
                pos += REPLACEMENT_JSON.length;
                i += 5;
                continue;
            }
            buf[pos++] = '\\';
            buf[pos++] = '\\';
            if (e == '\\') { // an escaped backslash: both halves doubled, and not the start of another escape
                buf[pos++] = '\\';
                buf[pos++] = '\\';
                i++;
            }
        }
    }

    private static boolean isNulEscape(byte[] b, int backslash) {
        return b[backslash + 2] == '0' && b[backslash + 3] == '0' && b[backslash + 4] == '0' && b[backslash + 5] == '0';
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            for (byte c : Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                put(c);
            }
            return;
        }
        if (v < 0) {
            put((byte) '-');
            v = -v;
        }
        int start = pos;
        do {
            buf[pos++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int a = start, z = pos - 1; a < z; a++, z--) {
            byte t = buf[a];
            buf[a] = buf[z];
            buf[z] = t;
        }
    }

    private void put(byte c) {
        if (pos == buf.length) {
            ensure(1);
        }
        buf[pos++] = c;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }
}
