package io.streamprocessor.engine.event;

/** Allocation-free UTF-8 encoding and measuring of UTF-16 text into byte arrays. */
public final class Utf8 {
    private Utf8() {
    }

    /** Encodes {@code chars} into {@code dst} at {@code at} (which must have room for 3 bytes a char); returns the end offset. */
    public static int encode(char[] chars, int offset, int length, byte[] dst, int at) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                dst[at++] = (byte) c;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                at = encodeCodePoint(Character.toCodePoint(c, chars[++i]), dst, at);
            } else {
                at = encodeCodePoint(Character.isSurrogate(c) ? 0xFFFD : c, dst, at);
            }
        }
        return at;
    }

    /** As {@link #encode(char[], int, int, byte[], int)} for any {@link CharSequence}. */
    public static int encode(CharSequence chars, byte[] dst, int at) {
        int end = chars.length();
        for (int i = 0; i < end; i++) {
            char c = chars.charAt(i);
            if (c < 0x80) {
                dst[at++] = (byte) c;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars.charAt(i + 1))) {
                at = encodeCodePoint(Character.toCodePoint(c, chars.charAt(++i)), dst, at);
            } else {
                at = encodeCodePoint(Character.isSurrogate(c) ? 0xFFFD : c, dst, at);
            }
        }
        return at;
    }

    private static int encodeCodePoint(int cp, byte[] dst, int at) {
        if (cp < 0x800) {
            dst[at++] = (byte) (0xC0 | (cp >> 6));
        } else if (cp < 0x10000) {
            dst[at++] = (byte) (0xE0 | (cp >> 12));
            dst[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        } else {
            dst[at++] = (byte) (0xF0 | (cp >> 18));
            dst[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            dst[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        }
        dst[at++] = (byte) (0x80 | (cp & 0x3F));
        return at;
    }

    /**
     * Length in UTF-16 code units (what JavaScript's {@code String.length} and Java's
     * {@code String.length()} report) of well-formed UTF-8 bytes.
     */
    /** Appends UTF-8 bytes to {@code out} as UTF-16 chars; a malformed sequence becomes U+FFFD. */
    public static void decode(byte[] b, int offset, int length, StringBuilder out) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                out.append((char) c);
                i++;
                continue;
            }
            int n;
            int cp;
            if (c >= 0xF8 || c < 0xC0) {
                out.append('\uFFFD');
                i++;
                continue;
            } else if (c >= 0xF0) {
                n = 3;
                cp = c & 0x07;
            } else if (c >= 0xE0) {
                n = 2;
                cp = c & 0x0F;
            } else {
                n = 1;
                cp = c & 0x1F;
            }
            if (i + n >= end) {
                out.append('\uFFFD');
                return;
            }
            for (int k = 1; k <= n; k++) {
                cp = (cp << 6) | (b[i + k] & 0x3F);
            }
            i += n + 1;
            if (cp >= 0x10000) {
                out.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
            } else {
                out.append((char) cp);
            }
        }
    }

    public static int utf16Length(byte[] utf8, int offset, int length) {
        int n = 0;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int b = utf8[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                n += b >= 0xF0 ? 2 : 1;
            }
        }
        return n;
    }

    /**
     * A 64-bit hash of a byte range, for interning, distinct sets and sketches: eight bytes at a
     * time (multiply, fold, rotate, the MurmurHash3 way), the last one to seven bytes as one more
     * such block (zero-filled), then MurmurHash3's 64-bit finaliser so every input bit reaches
     * every output bit. The length is in the seed, so zero bytes at the end still change the hash.
     */
    public static long hash64(byte[] bytes, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ (length * 0xff51afd7ed558ccdL);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = block(h, (long) LONGS.get(bytes, i));
        }
        if (i < end) {
            h = block(h, tail(bytes, i, end - i));
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long block(long h, long k) {
        k *= 0x87c37b91114253d5L;
        k = Long.rotateLeft(k, 31);
        k *= 0x4cf5ad432745937fL;
        h ^= k;
        return Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }

    /**
     * The {@code length} (0 to 8) bytes at {@code offset} as one little-endian long, zero-filled
     * above them: one read of eight bytes when the array has them, else byte by byte. Two byte
     * strings of the same length up to 8 are equal exactly when their tails are.
     */
    public static long tail(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return 0L;
        }
        if (offset + 8 <= bytes.length) {
            return (long) LONGS.get(bytes, offset) & (-1L >>> (64 - 8 * length));
        }
        long k = 0;
        for (int j = length - 1; j >= 0; j--) {
            k = (k << 8) | (bytes[offset + j] & 0xFF);
        }
        return k;
    }

    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
}
