package io.streamprocessor.transport.json;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Says what is wrong with a body the JSON parser refused, in words about the request: the first
 * place where the body stops being one JSON text (RFC 8259) within the parser's limits, as
 * {@code malformed JSON: <what> (line L, column C)}. The parser's own messages name its features
 * and tokens, so they are never passed on; this second, strict reading runs only after a body was
 * refused, so it costs nothing on the way of a valid request. Columns count characters.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonSyntax {
    private static final String PREFIX = "malformed JSON: ";
    private static final int VALUE = 0;
    private static final int ARRAY_FIRST = 1;
    private static final int OBJECT_FIRST = 2;
    private static final int NAME = 3;
    private static final int COLON = 4;
    private static final int AFTER = 5;

    private final int maxDepth;
    private final int maxNumberDigits;
    private final int maxNameChars;
    private final int maxStringChars;

    /** The parser's limits: nesting depth, digits in a number, characters in a member name and in a string. */
    public JsonSyntax(int maxDepth, int maxNumberDigits, int maxNameChars, int maxStringChars) {
        this.maxDepth = maxDepth;
        this.maxNumberDigits = maxNumberDigits;
        this.maxNameChars = maxNameChars;
        this.maxStringChars = maxStringChars;
    }

    /**
     * The message for the first error in {@code buf[from, to)}, or null when those bytes are one
     * well-formed JSON text within the limits. The bytes are expected to be well-formed UTF-8.
     */
    public String firstError(ByteBuf buf, int from, int to) {
        return new Scan(buf, from, to).run();
    }

    /** One reading of one body; lives only on the error path. */
    private final class Scan {
        private final ByteBuf b;
        private final int end;
        private final int start;
        private final boolean[] inArray = new boolean[maxDepth + 1];
        private int i;
        private int depth;

        Scan(ByteBuf b, int from, int to) {
            this.b = b;
            this.end = to;
            boolean bom = to - from >= 3 && at(from) == 0xEF && at(from + 1) == 0xBB && at(from + 2) == 0xBF;
            this.start = bom ? from + 3 : from; // the parser skips a byte order mark, and so do the columns
        }

        String run() {
            i = start;
            skipBlank();
            if (i == end) {
                return PREFIX + "empty body";
            }
            int state = VALUE;
            while (true) {
                skipBlank();
                if (i == end) {
                    if (state == AFTER && depth == 0) {
                        return null;
                    }
                    return error(i, state == AFTER
                        ? "the body ends before the " + (inArray[depth] ? "array" : "object") + " is closed"
                        : "the body ends in the middle of a value");
                }
                int c = at(i);
                String error = null;
                switch (state) {
                    case VALUE, ARRAY_FIRST -> {
                        if (c == ']' && state == ARRAY_FIRST) {
                            i++;
                            depth--;
                            state = AFTER;
                        } else if (c == ']' && depth > 0 && inArray[depth]) {
                            error = error(i, "trailing comma before ']'");
                        } else {
                            error = value(c);
                            state = c == '[' ? ARRAY_FIRST : c == '{' ? OBJECT_FIRST : AFTER;
                        }
                    }
                    case OBJECT_FIRST, NAME -> {
                        if (c == '}' && state == OBJECT_FIRST) {
                            i++;
                            depth--;
                            state = AFTER;
                        } else if (c == '}') {
                            error = error(i, "trailing comma before '}'");
                        } else if (c == '"') {
                            error = string(true);
                            state = COLON;
                        } else {
                            error = name(c);
                        }
                    }
                    case COLON -> {
                        if (c == ':') {
                            i++;
                            state = VALUE;
                        } else {
                            error = error(i, "expected ':' after the member name, found " + found(i));
                        }
                    }
                    default -> {
                        if (depth == 0) {
                            error = error(i, "unexpected content after the value");
                        } else if (c == ',') {
                            i++;
                            state = inArray[depth] ? VALUE : NAME;
                        } else if (c == (inArray[depth] ? ']' : '}')) {
                            i++;
                            depth--;
                        } else {
                            error = error(i, inArray[depth]
                                ? "expected ',' or ']' after an array element, found " + found(i)
                                : "expected ',' or '}' after a member, found " + found(i));
                        }
                    }
                }
                if (error != null) {
                    return error;
                }
            }
        }

        /** A value starting with {@code c}: a scalar is consumed, a container opened. */
        private String value(int c) {
            switch (c) {
                case '{', '[' -> {
                    if (depth == maxDepth) {
                        return error(i, "nested deeper than " + maxDepth + " levels");
                    }
                    inArray[++depth] = c == '[';
                    i++;
                    return null;
                }
                case '"' -> {
                    return string(false);
                }
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    return number();
                }
                case '+' -> {
                    return error(i, isWordStart(i + 1) && nonNumeric(word(i + 1))
                        ? "NaN and Infinity are not JSON numbers" : "a number may not start with '+'");
                }
                case '.' -> {
                    return error(i, "a number must start with a digit, not '.'");
                }
                default -> {
                    if (isWordStart(i)) {
                        String w = word(i);
                        if (w.equals("true") || w.equals("false") || w.equals("null")) {
                            i += w.length();
                            return null;
                        }
                        return error(i, nonNumeric(w) ? "NaN and Infinity are not JSON numbers"
                            : "unquoted text " + quote(w) + ": strings take double quotes, and the only bare words are true, false and null");
                    }
                    return notAValue(c);
                }
            }
        }

        /** Where a member name belongs but {@code c} is not its opening quote. */
        private String name(int c) {
            if (isWordStart(i)) {
                return error(i, "member name " + quote(word(i)) + " is not in double quotes");
            }
            if (c == '\'') {
                return error(i, "member names take double quotes, not single quotes");
            }
            if (c == '/' || c == '#' || c < 0x20) {
                return notAValue(c);
            }
            return error(i, "expected a member name in double quotes, found " + found(i));
        }

        private String notAValue(int c) {
            if (c == '\'') {
                return error(i, "strings take double quotes, not single quotes");
            }
            if (c == '/' || c == '#') {
                return error(i, "comments are not allowed in JSON");
            }
            if (c < 0x20) {
                return error(i, "control character " + codePoint(c) + " outside a string");
            }
            return error(i, "expected a value, found " + found(i));
        }

        private String string(boolean name) {
            int open = i;
            long chars = 0;
            i++;
            while (i < end) {
                int c = at(i);
                if (c == '"') {
                    i++;
                    if (name && chars > maxNameChars) {
                        return error(open, "member name longer than " + maxNameChars + " characters");
                    }
                    if (!name && chars > maxStringChars) {
                        return error(open, "string longer than " + maxStringChars + " characters");
                    }
                    return null;
                }
                if (c == '\\') {
                    if (i + 1 >= end) {
                        break;
                    }
                    int e = at(i + 1);
                    if (e == 'u') {
                        for (int k = 2; k < 6; k++) {
                            if (i + k >= end) {
                                return error(open, "unterminated string");
                            }
                            if (Character.digit(at(i + k), 16) < 0) {
                                return error(i, "invalid escape: \\u takes four hex digits");
                            }
                        }
                        i += 6;
                    } else if ("\"\\/bfnrt".indexOf(e) >= 0) {
                        i += 2;
                    } else {
                        return error(i, "invalid escape " + (e > 0x20 && e < 0x7F ? "'\\" + (char) e + "' " : "")
                            + "in a string; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
                    }
                    chars++;
                    continue;
                }
                if (c < 0x20) {
                    return error(i, "control character " + codePoint(c) + " in a string must be escaped as \\u"
                        + String.format("%04X", c));
                }
                if ((c & 0xC0) != 0x80) {
                    chars += c >= 0xF0 ? 2 : 1; // UTF-16 units, as the parser counts
                }
                i++;
            }
            return error(open, "unterminated string");
        }

        private String number() {
            int first = i;
            if (at(i) == '-') {
                i++;
                if (i == end) {
                    return error(i, "the body ends in the middle of a value");
                }
                if (!isDigit(at(i))) {
                    return error(first, isWordStart(i) && nonNumeric(word(i))
                        ? "NaN and Infinity are not JSON numbers" : "a number needs a digit after '-'");
                }
            }
            if (at(i) == '0' && i + 1 < end && isDigit(at(i + 1))) {
                return error(first, "numbers may not have leading zeros");
            }
            int intDigits = digits();
            int fracDigits = 0;
            int expDigits = 0;
            boolean fraction = i < end && at(i) == '.';
            if (fraction) {
                i++;
                fracDigits = digits();
                if (fracDigits == 0) {
                    return i == end ? error(i, "the body ends in the middle of a value")
                        : error(first, "a number needs a digit after the decimal point");
                }
            }
            boolean exponent = i < end && (at(i) == 'e' || at(i) == 'E');
            if (exponent) {
                i++;
                if (i < end && (at(i) == '+' || at(i) == '-')) {
                    i++;
                }
                expDigits = digits();
                if (expDigits == 0) {
                    return i == end ? error(i, "the body ends in the middle of a value")
                        : error(first, "a number needs a digit in its exponent");
                }
            }
            int counted = fraction || exponent ? intDigits + fracDigits + expDigits : intDigits;
            if (counted > maxNumberDigits) {
                return error(first, "a number with more than " + maxNumberDigits + " digits");
            }
            return null;
        }

        private int digits() {
            int n = 0;
            while (i < end && isDigit(at(i))) {
                i++;
                n++;
            }
            return n;
        }

        private boolean isWordStart(int p) {
            if (p >= end) {
                return false;
            }
            int c = at(p);
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
        }

        /** The run of letters, digits, '_' and '$' from {@code p}. */
        private String word(int p) {
            int q = p;
            while (q < end && (isWordStart(q) || isDigit(at(q)))) {
                q++;
            }
            StringBuilder s = new StringBuilder(q - p);
            for (int k = p; k < q; k++) {
                s.append((char) at(k));
            }
            return s.toString();
        }

        private void skipBlank() {
            while (i < end) {
                int c = at(i);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                i++;
            }
        }

        private int at(int p) {
            return b.getByte(p) & 0xFF;
        }

        /** The character at {@code p}, quoted, for "found ...". */
        private String found(int p) {
            int c = at(p);
            if (c < 0x20 || c == 0x7F) {
                return "control character " + codePoint(c);
            }
            if (c < 0x80) {
                return "'" + (char) c + "'";
            }
            int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            return "'" + b.toString(p, Math.min(len, end - p), StandardCharsets.UTF_8) + "'";
        }

        /** The message, with the line and column of byte {@code p}. */
        private String error(int p, String what) {
            int line = 1;
            int column = 1;
            for (int k = start; k < p; k++) {
                int c = at(k);
                if (c == '\n') {
                    line++;
                    column = 1;
                } else if ((c & 0xC0) != 0x80) {
                    column++;
                }
            }
            return PREFIX + what + " (line " + line + ", column " + column + ")";
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean nonNumeric(String word) {
        return word.equalsIgnoreCase("NaN") || word.equalsIgnoreCase("Infinity") || word.equalsIgnoreCase("Inf");
    }

    private static String quote(String word) {
        return "'" + (word.length() > 24 ? word.substring(0, 24) + "..." : word) + "'";
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
