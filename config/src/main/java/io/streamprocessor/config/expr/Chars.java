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
}
