package io.streamprocessor.engine.event;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The journal's binary form of a validated event: everything a sink writes and a window reads,
 * so replaying it gives the same JSON, the same value and the same window updates as the event
 * had when it was first processed.
 *
 * <pre>
 * receivedAt:i64 timestamp:i64 id type:u16+bytes source:u16+bytes tokens:i32 token*
 * id    = u16+bytes | (0x8000|u16)+prefix number:i64   (a generated id: its prefix, and its number in binary)
 * token = kind:u8 [ NAME/STRING: len:i32 bytes | INTEGER: i64 | FLOAT: bits:i64 len:i32 bytes ]
 * </pre>
 *
 * The id is stored as its text (a generated one as prefix and number, its digits made on replay), numbers with the text they
 * arrived as, and the tape's tokens in document order, derived fields included. Little-endian.
 *
 * <p>Stateless apart from a scratch array: one instance per thread.
 */
public final class EventCodec {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int DIGITS = 20;
    /** Set in an id's length when it is a generated one: prefix, then the number as 8 bytes. */
    private static final int GENERATED = 0x8000;

    private byte[] scratch = new byte[256];

    /** An upper bound of {@link #encode}'s length for {@code e}, to make room before encoding. */
    public static int maxLength(EventView view) {
        EventRecord e = view.record;
        DataTape d = e.data;
        int id = e.generatedIdPrefix != null ? e.generatedIdPrefix.length + DIGITS : Math.max(0, e.idLen);
        return 16 + 6 + id + e.typeLen + e.sourceLen + 4 + d.size() * 13 + d.arenaUsed();
    }

    /** Writes the event at {@code offset}; returns the bytes written. */
    public int encode(EventView view, ByteBuffer out, int offset) {
        EventRecord e = view.record;
        int at = offset;
        out.putLong(at, e.receivedAt);
        out.putLong(at + 8, e.timestamp);
        at += 16;
        if (e.generatedIdPrefix != null) {
            // A generated id as its prefix and its number in binary: the digits are made on replay.
            byte[] prefix = e.generatedIdPrefix;
            out.putShort(at, (short) (GENERATED | prefix.length));
            out.put(at + 2, prefix);
            out.putLong(at + 2 + prefix.length, e.generatedIdNumber);
            at += 2 + prefix.length + 8;
        } else {
            at = text(out, at, e.text, e.idOff, e.idLen);
        }
        at = text(out, at, e.text, e.typeOff, e.typeLen);
        at = text(out, at, e.text, e.sourceOff, e.sourceLen);
        DataTape d = e.data;
        int n = d.size();
        out.putInt(at, n);
        at += 4;
        byte[] arena = d.arena();
        for (int t = 0; t < n; t++) {
            byte k = d.kind(t);
            out.put(at++, k);
            switch (k) {
                case DataTape.NAME, DataTape.STRING -> {
                    int len = d.textLength(t);
                    out.putInt(at, len);
                    out.put(at + 4, arena, d.textOffset(t), len);
                    at += 4 + len;
                }
                case DataTape.INTEGER -> {
                    out.putLong(at, d.longValue(t));
                    at += 8;
                }
                case DataTape.FLOAT -> {
                    out.putLong(at, Double.doubleToRawLongBits(d.doubleValue(t)));
                    int len = d.textOffset(t) < 0 ? 0 : d.textLength(t);
                    out.putInt(at + 8, len);
                    if (len > 0) {
                        out.put(at + 12, arena, d.textOffset(t), len);
                    }
                    at += 12 + len;
                }
                default -> {
                    // containers, booleans and null carry nothing but their kind
                }
            }
        }
        return at - offset;
    }

    /** Appends a non-negative number's decimal digits to the record's text. */
    private static void putDigits(EventRecord e, long n) {
        String digits = Long.toString(n);
        int start = e.textSize;
        if (start + digits.length() > e.text.length) {
            e.text = java.util.Arrays.copyOf(e.text, Math.max(e.text.length * 2, start + digits.length()));
        }
        for (int i = 0; i < digits.length(); i++) {
            e.text[start + i] = (byte) digits.charAt(i);
        }
        e.textSize = start + digits.length();
    }

    private static int text(ByteBuffer out, int at, byte[] text, int off, int len) {
        if (off < 0) {
            len = 0;
        }
        out.putShort(at, (short) len);
        if (len > 0) {
            out.put(at + 2, text, off, len);
        }
        return at + 2 + len;
    }

    /**
     * Rebuilds the event written at {@code [offset, offset + length)} into {@code e}, as the producer
     * and the stages up to the transforms had left it, except for what validation derives from the
     * type and source tables ({@link Validator#restore}).
     *
     * @throws IllegalArgumentException when the bytes do not hold an event
     */
    public void decode(ByteBuffer in, int offset, int length, long position, EventRecord e) {
        int end = offset + length;
        e.begin(in.getLong(offset), position);
        e.timestamp = in.getLong(offset + 8);
        e.hasTimestamp = true;
        int at = offset + 16;
        int len = in.getShort(at) & 0xFFFF;
        if ((len & GENERATED) != 0) {
            len &= ~GENERATED;
            long number = in.getLong(at + 2 + len);
            int start = putText(e, in, at + 2, len);
            putDigits(e, number);
            e.idOff = start;
            e.idLen = e.textSize - start;
            at += 2 + len + 8;
        } else {
            e.idOff = putText(e, in, at + 2, len);
            e.idLen = len;
            at += 2 + len;
        }
        e.idChars = e.idLen;
        len = in.getShort(at) & 0xFFFF;
        e.typeOff = putText(e, in, at + 2, len);
        e.typeLen = len;
        e.typeChars = len;
        at += 2 + len;
        len = in.getShort(at) & 0xFFFF;
        e.sourceOff = putText(e, in, at + 2, len);
        e.sourceLen = len;
        e.sourceChars = len;
        at += 2 + len;
        int n = in.getInt(at);
        at += 4;
        DataTape d = e.data;
        for (int t = 0; t < n; t++) {
            if (at >= end) {
                throw new IllegalArgumentException("event record ends inside its data");
            }
            byte k = in.get(at++);
            switch (k) {
                case DataTape.OBJECT_START -> d.startObject();
                case DataTape.OBJECT_END -> d.endObject();
                case DataTape.ARRAY_START -> d.startArray();
                case DataTape.ARRAY_END -> d.endArray();
                case DataTape.NAME, DataTape.STRING -> {
                    len = in.getInt(at);
                    byte[] b = bytes(in, at + 4, len);
                    if (k == DataTape.NAME) {
                        d.name(b, 0, len);
                    } else {
                        d.string(b, 0, len);
                    }
                    at += 4 + len;
                }
                case DataTape.INTEGER -> {
                    d.number(in.getLong(at));
                    at += 8;
                }
                case DataTape.FLOAT -> {
                    double v = Double.longBitsToDouble(in.getLong(at));
                    len = in.getInt(at + 8);
                    d.number(v, bytes(in, at + 12, len), 0, len);
                    at += 12 + len;
                }
                case DataTape.TRUE -> d.bool(true);
                case DataTape.FALSE -> d.bool(false);
                case DataTape.NULL -> d.nullValue();
                default -> throw new IllegalArgumentException("unknown token kind " + k + " in event record");
            }
        }
        if (at != end) {
            throw new IllegalArgumentException("event record has " + (end - at) + " bytes after its data");
        }
    }

    private static int putText(EventRecord e, ByteBuffer in, int at, int len) {
        if (len < 0 || len > 4 * EventRecord.MAX_SOURCE_CHARS) {
            throw new IllegalArgumentException("text of " + len + " bytes in event record");
        }
        int start = e.textSize;
        if (start + len > e.text.length) {
            e.text = java.util.Arrays.copyOf(e.text, Math.max(e.text.length * 2, start + len));
        }
        in.get(at, e.text, start, len);
        e.textSize = start + len;
        return start;
    }

    private byte[] bytes(ByteBuffer in, int at, int len) {
        if (len < 0 || at + len > in.capacity()) {
            throw new IllegalArgumentException("text of " + len + " bytes in event record");
        }
        if (len > scratch.length) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        in.get(at, scratch, 0, len);
        return scratch;
    }
}
