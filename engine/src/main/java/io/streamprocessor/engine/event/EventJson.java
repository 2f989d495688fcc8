package io.streamprocessor.engine.event;

import java.util.Arrays;

/**
 * Encodes an event as one line of JSON, as sinks write it:
 * {@code {"id":..,"type":..,"source":..,"timestamp":..,"receivedAt":..,"data":{..}}}.
 * Integers and numbers that arrived as text are written without allocating; a non-integral
 * number computed by a transform is formatted with {@link Double#toString(double)}. After each
 * encoding, the positions of the id, type and source strings (between their quotes, still
 * escaped) and of the data object are known, so a sink can take them out of the line without
 * parsing it.
 *
 * <p>Not thread-safe: one instance per sink thread; the buffer is reused by each call.
 */
public final class EventJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] buf = new byte[1024];
    private int pos;
    /** Start and end (exclusive) of the id, type and source text between their quotes, and of the data object. */
    private int idStart;
    private int idEnd;
    private int typeStart;
    private int typeEnd;
    private int sourceStart;
    private int sourceEnd;
    private int dataStart;

    /** Encodes the event; the result is {@link #buffer()}{@code [0, length)}. */
    public int encode(EventView view) {
        EventRecord e = view.record;
        pos = 0;
        raw("{\"id\":");
        byte[] text = e.text;
        byte[] generated = e.generatedIdPrefix;
        if (generated != null) {
            ensure(generated.length + 22);
            buf[pos++] = '"';
            System.arraycopy(generated, 0, buf, pos, generated.length);
            pos += generated.length;
            number(e.generatedIdNumber);
            buf[pos++] = '"';
        } else if (e.idOff >= 0) {
            quoted(text, e.idOff, e.idLen);
        } else {
            raw("null");
        }
        idStart = 7;
        idEnd = buf[pos - 1] == '"' ? pos - 1 : 7;
        raw(",\"type\":");
        typeStart = pos + 1;
        quoted(text, e.typeOff, e.typeLen);
        typeEnd = pos - 1;
        raw(",\"source\":");
        sourceStart = pos + 1;
        quoted(text, e.sourceOff, e.sourceLen);
        sourceEnd = pos - 1;
        raw(",\"timestamp\":");
        number(e.timestamp);
        raw(",\"receivedAt\":");
        number(e.receivedAt);
        raw(",\"data\":");
        dataStart = pos;
        data(e.data);
        put((byte) '}');
        return pos;
    }

    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return pos;
    }

    /** Where the id's text starts in {@link #buffer()}: after its opening quote, still escaped. */
    public int idStart() {
        return idStart;
    }

    /** Where the id's text ends (exclusive), before its closing quote. */
    public int idEnd() {
        return idEnd;
    }

    public int typeStart() {
        return typeStart;
    }

    public int typeEnd() {
        return typeEnd;
    }

    public int sourceStart() {
        return sourceStart;
    }

    public int sourceEnd() {
        return sourceEnd;
    }

    /** Where the data object starts in {@link #buffer()}: its opening brace. */
    public int dataStart() {
        return dataStart;
    }

    /** Where the data object ends (exclusive): after its closing brace, before the line's. */
    public int dataEnd() {
        return pos - 1;
    }

    private void data(DataTape d) {
        int n = d.size();
        if (n == 0) {
            raw("{}");
            return;
        }
        byte[] arena = d.arena();
        for (int i = 0; i < n; i++) {
            byte k = d.kind(i);
            if (i > 0 && needsComma(d, i, k)) {
                put((byte) ',');
            }
            switch (k) {
                case DataTape.OBJECT_START -> put((byte) '{');
                case DataTape.OBJECT_END -> put((byte) '}');
                case DataTape.ARRAY_START -> put((byte) '[');
                case DataTape.ARRAY_END -> put((byte) ']');
                case DataTape.NAME -> {
                    quoted(arena, d.textOffset(i), d.textLength(i));
                    put((byte) ':');
                }
                case DataTape.STRING -> quoted(arena, d.textOffset(i), d.textLength(i));
                case DataTape.INTEGER -> number(d.longValue(i));
                case DataTape.FLOAT -> {
                    if (d.textOffset(i) >= 0) {
                        ensure(d.textLength(i));
                        System.arraycopy(arena, d.textOffset(i), buf, pos, d.textLength(i));
                        pos += d.textLength(i);
                    } else {
                        floating(d.doubleValue(i));
                    }
                }
                case DataTape.TRUE -> raw("true");
                case DataTape.FALSE -> raw("false");
                default -> raw("null");
            }
        }
    }

    /** A comma goes before a member name or an array element that is not the first in its container. */
    private static boolean needsComma(DataTape d, int i, byte k) {
        if (k == DataTape.OBJECT_END || k == DataTape.ARRAY_END) {
            return false;
        }
        byte prev = d.kind(i - 1);
        if (prev == DataTape.OBJECT_START || prev == DataTape.ARRAY_START || prev == DataTape.NAME) {
            return false;
        }
        return true;
    }

    private void floating(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            number((long) v);
        } else if (Double.isFinite(v)) {
            raw(Double.toString(v));
        } else {
            raw("null");
        }
    }

    private void number(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            raw("-9223372036854775808");
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int start = pos;
        do {
            buf[pos++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        for (int a = start, b = pos - 1; a < b; a++, b--) {
            byte t = buf[a];
            buf[a] = buf[b];
            buf[b] = t;
        }
    }

    private void quoted(byte[] src, int off, int len) {
        ensure(len * 6 + 2);
        buf[pos++] = '"';
        for (int i = off; i < off + len; i++) {
            byte b = src[i];
            if (b == '"' || b == '\\') {
                buf[pos++] = '\\';
                buf[pos++] = b;
            } else if (b >= 0 && b < 0x20) {
                buf[pos++] = '\\';
                buf[pos++] = 'u';
                buf[pos++] = '0';
                buf[pos++] = '0';
                buf[pos++] = HEX[b >> 4];
                buf[pos++] = HEX[b & 0xF];
            } else {
                buf[pos++] = b;
            }
        }
        buf[pos++] = '"';
    }

    private void raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[pos++] = (byte) ascii.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }
}
