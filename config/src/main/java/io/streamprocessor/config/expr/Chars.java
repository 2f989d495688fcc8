package io.streamprocessor.config.expr;

/** Allocation-free text helpers for the evaluators. */
final class Chars {
    private Chars() {
    }

    static boolean test(CharSequence s, int op, CharSequence p) {
        return switch (op) {
            case StrExpr.EQUALS -> equal(s, p);
            case StrExpr.STARTS_WITH -> regionEquals(s, 0, p);
            case StrExpr.ENDS_WITH -> s.length() >= p.length() && regionEquals(s, s.length() - p.length(), p);
            default -> indexOf(s, p) >= 0;
        };
    }

    static boolean equal(CharSequence a, CharSequence b) {
        return a.length() == b.length() && regionEquals(a, 0, b);
    }

    private static boolean regionEquals(CharSequence s, int from, CharSequence p) {
        if (from + p.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (s.charAt(from + i) != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence s, CharSequence p) {
        for (int i = 0; i + p.length() <= s.length(); i++) {
            if (regionEquals(s, i, p)) {
                return i;
            }
        }
        return -1;
    }

    static boolean contains(byte[] arena, int offset, int length, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (arena[offset + i + j] != p[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Appends the UTF-8 bytes as UTF-16 chars; malformed sequences become U+FFFD. */
    static void decodeUtf8(byte[] b, int offset, int length, StringBuilder out) {
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
            if (c >= 0xF8) {
                out.append('\uFFFD');
                i++;
                continue;
            } else if (c >= 0xF0) {
                n = 3;
                cp = c & 0x07;
            } else if (c >= 0xE0) {
                n = 2;
                cp = c & 0x0F;
            } else if (c >= 0xC0) {
                n = 1;
                cp = c & 0x1F;
            } else {
                out.append('\uFFFD');
                i++;
                continue;
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
}
