package io.streamprocessor.engine.event;


import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * The id is stored as its text (a generated one as prefix and number, as validation keeps it), numbers with the text they
 * arrived as, and the tape's tokens in document order, derived fields included. Little-endian.
 *
 * <p>Stateless apart from a scratch array: one instance per thread.
 */
public final class EventCodec {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, LE);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, LE);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, LE);
    private static final int DIGITS = 20;
    /** Set in an id's length when it is a generated one: prefix, then the number as 8 bytes. */
    private static final int GENERATED = 0x8000;

    private byte[] prefix;

    /** An upper bound of {@link #encode}'s length for {@code e}, to make room before encoding. */
    public static int maxLength(EventView view) {
        EventRecord e = view.record;
        DataTape d = e.data;
        int id = e.generatedIdPrefix != null ? e.generatedIdPrefix.length + DIGITS : Math.max(0, e.idLen);
        return 16 + 6 + id + e.typeLen + e.sourceLen + 4 + d.size() * 13 + d.arenaUsed();
    }

    /**
     * Writes the event at {@code offset} of {@code out}, a little-endian heap buffer (the journal's
     * batch) with room for {@link #maxLength}; returns the bytes written. It writes straight into
     * the buffer's array: through the buffer's own absolute puts, each with its bounds checks,
     * encoding took a fifth of the stage thread's time under batch load.
     */
    public int encode(EventView view, ByteBuffer out, int offset) {
        if (!out.hasArray() || out.order() != LE) {
            throw new IllegalArgumentException("events are encoded into a little-endian heap buffer");
        }
        byte[] b = out.array();
        int base = out.arrayOffset();
        int end = encode(view.record, b, base + offset);
        return end - base - offset;
    }

    private static int encode(EventRecord e, byte[] b, int at) {
        LONGS.set(b, at, e.receivedAt);
        LONGS.set(b, at + 8, e.timestamp);
        at += 16;
        if (e.generatedIdPrefix != null) {
            // A generated id as its prefix and its number in binary: the digits are made on replay.
            byte[] prefix = e.generatedIdPrefix;
            SHORTS.set(b, at, (short) (GENERATED | prefix.length));
            System.arraycopy(prefix, 0, b, at + 2, prefix.length);
            LONGS.set(b, at + 2 + prefix.length, e.generatedIdNumber);
            at += 2 + prefix.length + 8;
        } else {
            at = text(b, at, e.text, e.idOff, e.idLen);
        }
        at = text(b, at, e.text, e.typeOff, e.typeLen);
        at = text(b, at, e.text, e.sourceOff, e.sourceLen);
        DataTape d = e.data;
        int n = d.size();
        INTS.set(b, at, n);
        at += 4;
        byte[] arena = d.arena();
        for (int t = 0; t < n; t++) {
            byte k = d.kind(t);
            b[at++] = k;
            switch (k) {
                case DataTape.NAME, DataTape.STRING -> {
                    int len = d.textLength(t);
                    INTS.set(b, at, len);
                    System.arraycopy(arena, d.textOffset(t), b, at + 4, len);
                    at += 4 + len;
                }
                case DataTape.INTEGER -> {
                    LONGS.set(b, at, d.longValue(t));
                    at += 8;
                }
                case DataTape.FLOAT -> {
                    LONGS.set(b, at, Double.doubleToRawLongBits(d.doubleValue(t)));
                    int len = d.textOffset(t) < 0 ? 0 : d.textLength(t);
                    INTS.set(b, at + 8, len);
                    if (len > 0) {
                        System.arraycopy(arena, d.textOffset(t), b, at + 12, len);
                    }
                    at += 12 + len;
                }
                default -> {
                    // containers, booleans and null carry nothing but their kind
                }
            }
        }
        return at;
    }

    private static int text(byte[] b, int at, byte[] text, int off, int len) {
        if (off < 0) {
            len = 0;
        }
        SHORTS.set(b, at, (short) len);
        if (len > 0) {
            System.arraycopy(text, off, b, at + 2, len);
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
            // Generated again as validation left it: its prefix (one array per run's prefix) and number.
            len &= ~GENERATED;
            e.generatedIdPrefix = prefix(in, at + 2, len);
            e.generatedIdNumber = in.getLong(at + 2 + len);
            at += 2 + len + 8;
        } else {
            e.idOff = putText(e, in, at + 2, len);
            e.idLen = len;
            e.idChars = len;
            at += 2 + len;
        }
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
                    len = checkedLength(in, at, end);
                    if (k == DataTape.NAME) {
                        d.name(in, at + 4, len);
                    } else {
                        d.string(in, at + 4, len);
                    }
                    at += 4 + len;
                }
                case DataTape.INTEGER -> {
                    d.number(in.getLong(at));
                    at += 8;
                }
                case DataTape.FLOAT -> {
                    double v = Double.longBitsToDouble(in.getLong(at));
                    len = checkedLength(in, at + 8, end);
                    d.number(v, in, at + 12, len);
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

    /** The length at {@code at}, of text that must end within the record. */
    private static int checkedLength(ByteBuffer in, int at, int end) {
        int len = in.getInt(at);
        if (len < 0 || at + 4 + len > end) {
            throw new IllegalArgumentException("text of " + len + " bytes in event record");
        }
        return len;
    }

    /** The generated ids' prefix, the same array while it repeats (one per run that wrote the records). */
    private byte[] prefix(ByteBuffer in, int at, int len) {
        byte[] last = prefix;
        if (last != null && last.length == len) {
            boolean same;
            if (in.hasArray()) {
                int from = in.arrayOffset() + at;
                same = java.util.Arrays.equals(in.array(), from, from + len, last, 0, len);
            } else {
                same = true;
                for (int i = 0; i < len && same; i++) {
                    same = in.get(at + i) == last[i];
                }
            }
            if (same) {
                return last;
            }
        }
        byte[] b = new byte[len];
        in.get(at, b);
        prefix = b;
        return b;
    }
}
