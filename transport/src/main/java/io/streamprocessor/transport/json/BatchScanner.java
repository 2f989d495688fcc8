package io.streamprocessor.transport.json;

/**
 * Counts the elements of a top-level JSON array without parsing them, so a batch can claim
 * all its ring slots at once before decoding. A byte-level pass that tracks strings, escapes and
 * nesting; exact for valid JSON. It does not validate: the decoder that follows does, and a
 * batch it finds malformed is published void.
 */
public final class BatchScanner {
    /** Not an array at all (the first non-blank byte is not {@code [}). */
    public static final int NOT_AN_ARRAY = -1;

    private BatchScanner() {
    }

    /**
     * Number of top-level elements in {@code bytes[from, to)}, {@link #NOT_AN_ARRAY}, or
     * {@code limit + 1} as soon as there are more than {@code limit}. An empty body counts as not
     * an array.
     */
    public static int count(byte[] bytes, int from, int to, int limit) {
        int i = from;
        int end = to;
        while (i < end && isBlank(bytes[i])) {
            i++;
        }
        if (i == end || bytes[i] != '[') {
            return NOT_AN_ARRAY;
        }
        i++;
        int count = 0;
        boolean expectElement = true;
        for (; i < end; i++) {
            byte b = bytes[i];
            if (isBlank(b)) {
                continue;
            }
            if (b == ']') {
                return count;
            }
            if (b == '}') {
                // not JSON: a stray brace where an element may start counts as one, and closes the array
                return expectElement ? count + 1 : count;
            }
            if (b == ',') {
                expectElement = true;
                continue;
            }
            if (expectElement) {
                if (++count > limit) {
                    return count;
                }
                expectElement = false;
            }
            if (b == '"') {
                i = closingQuote(bytes, i + 1, end);
            } else if (b == '{' || b == '[') {
                i = closingBracket(bytes, i + 1, end);
            }
        }
        return count;
    }

    private static final byte OTHER = 0;
    private static final byte QUOTE = 1;
    private static final byte OPEN = 2;
    private static final byte CLOSE = 3;
    /** What each byte is to a nested value's skip: most bytes are nothing, one load and one test each. */
    private static final byte[] STRUCTURE = new byte[256];

    static {
        STRUCTURE['"'] = QUOTE;
        STRUCTURE['{'] = OPEN;
        STRUCTURE['['] = OPEN;
        STRUCTURE['}'] = CLOSE;
        STRUCTURE[']'] = CLOSE;
    }

    /**
     * The index of the bracket or brace that closes the object or array whose contents start at
     * {@code i} (either kind closes either, as the count needs no more), or {@code end} if none
     * does. An element's insides are skipped here: only strings and nesting matter in them.
     */
    private static int closingBracket(byte[] bytes, int i, int end) {
        int depth = 1;
        for (; i < end; i++) {
            byte kind = STRUCTURE[bytes[i] & 0xFF];
            if (kind == OTHER) {
                continue;
            }
            if (kind == QUOTE) {
                i = closingQuote(bytes, i + 1, end);
            } else if (kind == OPEN) {
                depth++;
            } else if (--depth == 0) {
                return i;
            }
        }
        return end;
    }

    /**
     * The index of the quote that closes the string whose contents start at {@code i}, or
     * {@code end} if none does. Most of an event's bytes are inside strings, so this is the
     * scan's inner loop: two comparisons a byte.
     */
    private static int closingQuote(byte[] bytes, int i, int end) {
        while (i < end) {
            byte b = bytes[i];
            if (b == '"') {
                return i;
            }
            i += b == '\\' ? 2 : 1;
        }
        return end;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
