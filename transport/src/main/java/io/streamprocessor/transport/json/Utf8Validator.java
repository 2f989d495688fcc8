package io.streamprocessor.transport.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that a request body is well-formed UTF-8 (RFC 3629): no overlong forms, no encoded
 * surrogates, nothing past U+10FFFF. jackson-core's parser decodes those silently (an overlong
 * {@code C0 AF} becomes {@code /}), so bodies are checked before they are parsed. Eight ASCII
 * bytes at a time where it can, over the array a body is read into ({@link BodyBytes});
 * allocation-free. Stateless.
 */
public final class Utf8Validator {
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    /** Eight bytes of an array as one long, without a bounds check per byte. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8Validator() {
    }

    /** Index of the first byte of the first ill-formed sequence in {@code bytes[from, to)}, or -1 when all is well-formed. */
    public static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        int end = to;
        while (i < end) {
            if (end - i >= 8 && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int trailing;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                trailing = 1;
            } else if (b == 0xE0) {
                trailing = 2;
                lo = 0xA0; // below: overlong
            } else if (b == 0xED) {
                trailing = 2;
                hi = 0x9F; // above: a surrogate
            } else if (b >= 0xE1 && b <= 0xEF) {
                trailing = 2;
            } else if (b == 0xF0) {
                trailing = 3;
                lo = 0x90; // below: overlong
            } else if (b >= 0xF1 && b <= 0xF3) {
                trailing = 3;
            } else if (b == 0xF4) {
                trailing = 3;
                hi = 0x8F; // above: past U+10FFFF
            } else {
                return i;
            }
            if (end - i <= trailing) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return i;
            }
            for (int k = 2; k <= trailing; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += trailing + 1;
        }
        return -1;
    }
}
