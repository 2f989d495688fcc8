package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code data} object of one event as a flat tape of JSON tokens held in reusable primitive
 * arrays, the way simdjson lays out a document: containers carry the index of their matching end,
 * strings and names point into a byte arena of unescaped UTF-8. Its public methods only read:
 * producers write it in document order through a {@link DataWriter}, transforms change it through
 * {@link MutableEvent}.
 *
 * <p>Owned by one {@link EventRecord}; written by the producer that claimed the record's ring slot,
 * then read and mutated by the handler stages in sequence order. Not thread-safe: the ring's
 * sequence barriers provide the happens-before between writers, and reads never write, so stages
 * running side by side may read one tape at once. Nothing is allocated once the arrays have grown
 * to the size of the largest event seen; an unusually large event's arrays are dropped on the next
 * {@link #reset()} so one outlier cannot pin memory in every slot.
 */
public final class DataTape {
    public static final byte OBJECT_START = 1;
    public static final byte OBJECT_END = 2;
    public static final byte ARRAY_START = 3;
    public static final byte ARRAY_END = 4;
    public static final byte NAME = 5;
    public static final byte STRING = 6;
    public static final byte INTEGER = 7;
    public static final byte FLOAT = 8;
    public static final byte TRUE = 9;
    public static final byte FALSE = 10;
    public static final byte NULL = 11;

    /**
     * Room for a typical event's data (up to seven members, 128 bytes of names and strings) without
     * growing. Every slot of the ring starts with these, so they are most of the ring's memory:
     * halved from 32 tokens and 256 bytes (and the event text from 128), the server's heap after
     * start-up went from 35 to 24 MB.
     * A slot keeps what it grew to (up to the retained bounds), so growing happens once per slot.
     */
    private static final int INITIAL_TOKENS = 16;
    private static final int INITIAL_ARENA = 128;
    private static final int RETAIN_TOKENS = 4096;
    private static final int RETAIN_ARENA = 64 * 1024;
    private static final int MAX_OPEN_CONTAINERS = 64;
    /** The most text a tape keeps, whatever it is configured with: a length and an offset take 30 bits each. */
    static final int MAX_ARENA_BYTES = (1 << 30) - 2;
    private static final long KIND_MASK = 0xFL;
    private static final long LENGTH_MASK = (1L << 30) - 1;
    private static final int LENGTH_SHIFT = 4;
    private static final int LINK_SHIFT = 34;

    private final int maxTokens;
    private final int maxArenaBytes;

    /**
     * Two longs per token, so that one token's facts share a cache line: at {@code 2i} its kind
     * (bits 0-3), the byte length of its text (bits 4-33) and its link plus one (bits 34-63; the
     * link is the arena offset of its text, or the index of a container's end token, or -1); at
     * {@code 2i + 1} the long of an INTEGER or the raw bits of a FLOAT's double, and, while a
     * container is being written, the index of the container enclosing it (-1 for the outermost).
     * The slot's stage thread reads every token the producer wrote on another core, so each array
     * is cache lines fetched across cores per event: one array instead of four parallel ones and
     * a stack of open containers ran the peer workload about 20% faster.
     */
    private long[] tape = new long[2 * INITIAL_TOKENS];
    private int size;

    private byte[] arena = new byte[INITIAL_ARENA];
    private int arenaSize;

    /** The innermost container open while writing, -1 when none; each links to its parent (see {@link #tape}). */
    private int openTop = -1;
    private int openCount;
    private int maxDepth;
    private int fieldCount;
    private boolean overflow;
    private boolean malformed;

    DataTape(int maxTokens, int maxArenaBytes) {
        this.maxTokens = maxTokens;
        this.maxArenaBytes = Math.min(maxArenaBytes, MAX_ARENA_BYTES);
    }

    /** Empties the tape for the next event; an empty tape reads as {@code {}}. */
    void reset() {
        if (tape.length > 2 * RETAIN_TOKENS) {
            tape = new long[2 * INITIAL_TOKENS];
        }
        if (arena.length > RETAIN_ARENA) {
            arena = new byte[INITIAL_ARENA];
        }
        size = 0;
        arenaSize = 0;
        openTop = -1;
        openCount = 0;
        maxDepth = 0;
        fieldCount = 0;
        overflow = false;
        malformed = false;
    }

    // ------------------------------------------------------------------ writing, in document order (see DataWriter)

    void startObject() {
        open(OBJECT_START);
    }

    void endObject() {
        close(OBJECT_START, OBJECT_END);
    }

    void startArray() {
        open(ARRAY_START);
    }

    void endArray() {
        close(ARRAY_START, ARRAY_END);
    }

    void name(CharSequence name) {
        stringToken(NAME, name);
    }

    void name(char[] chars, int offset, int length) {
        int at = token(NAME);
        if (at >= 0) {
            fieldCount++;
            setUtf8(at, chars, offset, length);
        }
    }

    void name(byte[] utf8, int offset, int length) {
        int at = token(NAME);
        if (at >= 0) {
            fieldCount++;
            setBytes(at, utf8, offset, length);
        }
    }

    void string(CharSequence value) {
        stringToken(STRING, value);
    }

    void string(char[] chars, int offset, int length) {
        int at = token(STRING);
        if (at >= 0) {
            setUtf8(at, chars, offset, length);
        }
    }

    void string(byte[] utf8, int offset, int length) {
        int at = token(STRING);
        if (at >= 0) {
            setBytes(at, utf8, offset, length);
        }
    }

    void number(long value) {
        int at = token(INTEGER);
        if (at >= 0) {
            setBits(at, value);
        }
    }

    void number(double value) {
        int at = token(FLOAT);
        if (at >= 0) {
            setBits(at, Double.doubleToRawLongBits(value));
        }
    }

    void number(double value, char[] text, int offset, int length) {
        int at = token(FLOAT);
        if (at >= 0) {
            setBits(at, Double.doubleToRawLongBits(value));
            setUtf8(at, text, offset, length);
        }
    }

    /** A name read from a journal record: copied straight from the record into the arena. */
    void name(java.nio.ByteBuffer src, int offset, int length) {
        int at = token(NAME);
        if (at >= 0) {
            fieldCount++;
            setBytes(at, src, offset, length);
        }
    }

    /** A string read from a journal record. */
    void string(java.nio.ByteBuffer src, int offset, int length) {
        int at = token(STRING);
        if (at >= 0) {
            setBytes(at, src, offset, length);
        }
    }

    /** A non-integral number read from a journal record, with the text it arrived as (none when {@code length} is 0). */
    void number(double value, java.nio.ByteBuffer src, int offset, int length) {
        int at = token(FLOAT);
        if (at >= 0) {
            setBits(at, Double.doubleToRawLongBits(value));
            if (length > 0) {
                setBytes(at, src, offset, length);
            }
        }
    }

    /** A non-integral number with the UTF-8 text it arrived as, for exact re-emission. */
    void number(double value, byte[] utf8, int offset, int length) {
        int at = token(FLOAT);
        if (at >= 0) {
            setBits(at, Double.doubleToRawLongBits(value));
            if (length > 0) {
                setBytes(at, utf8, offset, length);
            }
        }
    }

    void bool(boolean value) {
        token(value ? TRUE : FALSE);
    }

    void nullValue() {
        token(NULL);
    }

    // ------------------------------------------------------------------ reading

    /** Number of tokens written. */
    public int size() {
        return size;
    }

    public byte kind(int token) {
        return (byte) (tape[token << 1] & KIND_MASK);
    }

    /** Index of the token that closes the container starting at {@code token}. */
    public int end(int token) {
        return ref(token);
    }

    public long longValue(int token) {
        return bits(token);
    }

    public double doubleValue(int token) {
        return kind(token) == INTEGER ? (double) bits(token) : Double.longBitsToDouble(bits(token));
    }

    public boolean isNumber(int token) {
        byte k = kind(token);
        return k == INTEGER || k == FLOAT;
    }

    /** Arena offset of a string, name or raw number text; -1 when the number has no text. */
    int textOffset(int token) {
        return ref(token);
    }

    /** Bytes of UTF-8 text of a string or name, or of the text a non-integral number arrived as (0 when none). */
    public int textLength(int token) {
        return len(token);
    }

    byte[] arena() {
        return arena;
    }

    /** Bytes of the arena in use, text no longer referenced included. */
    int arenaUsed() {
        return arenaSize;
    }

    /** The text of a string or name token. Allocates. */
    public String text(int token) {
        return new String(arena, ref(token), len(token), StandardCharsets.UTF_8);
    }

    /** Appends the text of a string or name token to {@code out} as UTF-16, without allocating beyond {@code out}'s growth. */
    public void appendText(int token, StringBuilder out) {
        Utf8.decode(arena, ref(token), len(token), out);
    }

    /** A 64-bit hash of the UTF-8 text of a string or name token (as {@link Utf8#hash64}). */
    public long textHash64(int token) {
        return Utf8.hash64(arena, ref(token), len(token));
    }

    /** Copies the UTF-8 bytes of a string or name token into {@code dst} at {@code offset}; returns how many. */
    public int copyText(int token, byte[] dst, int offset) {
        System.arraycopy(arena, ref(token), dst, offset, len(token));
        return len(token);
    }

    /** Deepest container nesting written; the data object itself is depth 1. */
    public int maxDepth() {
        return maxDepth;
    }

    /** Number of object members at every depth. */
    public int fieldCount() {
        return fieldCount;
    }

    /** True when the event was larger than the tape's hard bounds; the tape is then incomplete. */
    public boolean overflowed() {
        return overflow;
    }

    /** True when start and end calls did not pair up, or the root is not an object. */
    boolean malformed() {
        return malformed || openCount != 0 || (size > 0 && kind(0) != OBJECT_START);
    }

    /**
     * Index of the value token at {@code path}, or -1 when absent. Paths address object members
     * only; array elements are not addressable.
     */
    public int find(FieldPath path) {
        if (size == 0 || kind(0) != OBJECT_START) {
            return -1;
        }
        int object = 0;
        int segment = 0;
        int last = path.segments() - 1;
        int i = 1;
        int limit = ref(object);
        while (i < limit) {
            // i is always a NAME here: members alternate name, value
            int value = i + 1;
            if (nameEquals(i, path, segment)) {
                if (segment == last) {
                    return value;
                }
                if (kind(value) != OBJECT_START) {
                    return -1;
                }
                segment++;
                object = value;
                limit = ref(object);
                i = value + 1;
            } else {
                i = skip(value);
            }
        }
        return -1;
    }

    private int skip(int valueToken) {
        byte k = kind(valueToken);
        return (k == OBJECT_START || k == ARRAY_START) ? ref(valueToken) + 1 : valueToken + 1;
    }

    private boolean nameEquals(int token, FieldPath path, int segment) {
        byte[] expected = path.segment(segment);
        int n = len(token);
        if (n != expected.length) {
            return false;
        }
        int off = ref(token);
        for (int j = 0; j < n; j++) {
            if (arena[off + j] != expected[j]) {
                return false;
            }
        }
        return true;
    }

    /** True when the string token equals the given UTF-8 bytes. */
    public boolean textEquals(int token, byte[] utf8) {
        return utf8.length == len(token) && regionEquals(token, utf8, 0);
    }

    public boolean textStartsWith(int token, byte[] utf8) {
        return utf8.length <= len(token) && regionEquals(token, utf8, 0);
    }

    public boolean textEndsWith(int token, byte[] utf8) {
        return utf8.length <= len(token) && regionEquals(token, utf8, len(token) - utf8.length);
    }

    /** True when the text of the token holds {@code utf8} anywhere. */
    public boolean textContains(int token, byte[] utf8) {
        for (int from = 0; from + utf8.length <= len(token); from++) {
            if (regionEquals(token, utf8, from)) {
                return true;
            }
        }
        return false;
    }

    /** True when two string or name tokens hold the same text. */
    public boolean sameText(int a, int b) {
        int n = len(a);
        return n == len(b) && Arrays.equals(arena, ref(a), ref(a) + n, arena, ref(b), ref(b) + n);
    }

    private boolean regionEquals(int token, byte[] utf8, int from) {
        int off = ref(token) + from;
        for (int j = 0; j < utf8.length; j++) {
            if (arena[off + j] != utf8[j]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ mutation by transforms

    /**
     * Replaces the value at {@code path} with a scalar token, creating the member (and any missing
     * parent objects) when absent. Returns the index of the new value token, or -1 when a parent
     * on the path exists but is not an object, or the tape is full.
     */
    int setScalar(FieldPath path, byte scalarKind, long scalarBits) {
        int at = find(path);
        if (at >= 0) {
            if (kind(at) == OBJECT_START || kind(at) == ARRAY_START) {
                removeRange(at, ref(at));
                insertGap(at, 1);
            }
            setToken(at, scalarKind, -1);
            setBits(at, scalarBits);
            return at;
        }
        return insertMember(path, scalarKind, scalarBits);
    }

    int setString(FieldPath path, CharSequence value) {
        int at = setScalar(path, STRING, 0);
        if (at >= 0) {
            setUtf8(at, value);
        }
        return at;
    }

    /** Removes the member at {@code path}; returns false when it was absent. */
    boolean remove(FieldPath path) {
        int value = find(path);
        if (value < 0) {
            return false;
        }
        int last = (kind(value) == OBJECT_START || kind(value) == ARRAY_START) ? ref(value) : value;
        removeRange(value - 1, last);
        return true;
    }

    /**
     * Moves the member at {@code from} to {@code to}, replacing what was there. Only scalar and
     * container values directly under the same parent keep their token range; otherwise the value
     * is copied. Returns false, changing nothing, when {@code from} is absent or {@code to} lies
     * inside {@code from}.
     */
    boolean rename(FieldPath from, FieldPath to) {
        int value = find(from);
        if (value < 0 || from.isAncestorOf(to)) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        if (to.isAncestorOf(from)) {
            // The value moves up to replace an object enclosing it: keep only its tokens there.
            int enclosing = find(to);
            int last = (kind(value) == OBJECT_START || kind(value) == ARRAY_START) ? ref(value) : value;
            removeRange(last + 1, ref(enclosing));
            removeRange(enclosing, value - 1);
            return true;
        }
        if (find(to) >= 0) {
            remove(to);
            value = find(from);
        }
        if (from.sameParent(to)) {
            setBytesFromPath(value - 1, to.segment(to.segments() - 1));
            return true;
        }
        // Different parents: copy the subtree to the new place, then drop the old one.
        int count = (kind(value) == OBJECT_START || kind(value) == ARRAY_START) ? ref(value) - value + 1 : 1;
        int at = insertMember(to, NULL, 0);
        if (at < 0) {
            return false;
        }
        value = find(from);
        if (count > 1) {
            insertGap(at + 1, count - 1);
            if (value > at) {
                value += count - 1;
            }
        }
        for (int k = 0; k < count; k++) {
            int src = value + k;
            int dst = at + k;
            tape[2 * dst] = tape[2 * src];
            tape[2 * dst + 1] = tape[2 * src + 1];
            byte kk = kind(src);
            if (kk == OBJECT_START || kk == ARRAY_START) {
                setRef(dst, ref(src) - value + at);
            }
        }
        fieldCount += countNames(at, at + count - 1);
        remove(from);
        return true;
    }

    private int countNames(int from, int to) {
        int n = 0;
        for (int i = from; i <= to; i++) {
            if (kind(i) == NAME) {
                n++;
            }
        }
        return n;
    }

    private int insertMember(FieldPath path, byte scalarKind, long scalarBits) {
        if (size == 0) {
            ensureTokens(2);
            setToken(0, OBJECT_START, 1);
            setToken(1, OBJECT_END, -1);
            size = 2;
            maxDepth = Math.max(maxDepth, 1);
        }
        if (kind(0) != OBJECT_START) {
            return -1;
        }
        // Walk down the existing prefix of the path.
        int object = 0;
        int segment = 0;
        int last = path.segments() - 1;
        while (segment < last) {
            int child = findMember(object, path.segment(segment));
            if (child < 0) {
                break;
            }
            if (kind(child) != OBJECT_START) {
                return -1;
            }
            object = child;
            segment++;
        }
        // Insert: for each missing parent NAME + OBJECT_START (+ OBJECT_END), then NAME + value.
        int missingParents = last - segment;
        int count = missingParents * 3 + 2;
        if (size + count > maxTokens) {
            overflow = true;
            return -1;
        }
        int at = ref(object);
        insertGap(at, count);
        int i = at;
        for (int s = segment; s < last; s++) {
            setToken(i, NAME, -1);
            setBytesFromPath(i, path.segment(s));
            fieldCount++;
            setToken(i + 1, OBJECT_START, -1);
            i += 2;
        }
        setToken(i, NAME, -1);
        setBytesFromPath(i, path.segment(last));
        fieldCount++;
        int valueAt = i + 1;
        setToken(valueAt, scalarKind, -1);
        setBits(valueAt, scalarBits);
        // Close the created parents from the innermost outwards.
        int closeAt = valueAt + 1;
        for (int s = last - 1; s >= segment; s--) {
            int startToken = at + (s - segment) * 2 + 1;
            setToken(closeAt, OBJECT_END, -1);
            setRef(startToken, closeAt);
            closeAt++;
        }
        // The new scalar sits in the object of its last parent: the data object is depth 1, so that
        // object is at depth path.segments().
        if (path.segments() > maxDepth) {
            maxDepth = path.segments();
        }
        return valueAt;
    }

    private int findMember(int object, byte[] name) {
        int i = object + 1;
        int limit = ref(object);
        while (i < limit) {
            if (len(i) == name.length && Arrays.equals(arena, ref(i), ref(i) + len(i), name, 0, name.length)) {
                return i + 1;
            }
            i = skip(i + 1);
        }
        return -1;
    }

    /**
     * Opens {@code count} tokens at {@code at}, shifting the rest right. Only the containers that
     * enclose {@code at} and those after it change their end links, so appending a member at the end
     * of the data object touches a constant number of tokens whatever the event's size.
     */
    private void insertGap(int at, int count) {
        ensureTokens(size + count);
        if (at == size - 1) {
            // Appending to the data object: only its end token moves, and only the root links to it.
            int to = at + count;
            tape[2 * to] = tape[2 * at];
            tape[2 * to + 1] = tape[2 * at + 1];
            size += count;
            setRef(0, to);
            return;
        }
        System.arraycopy(tape, 2 * at, tape, 2 * (at + count), 2 * (size - at));
        size += count;
        shiftLinksAfter(at + count, count);
        shiftEnclosingLinks(at, at, count);
    }

    /** Removes tokens {@code from..to} inclusive, shifting the rest left and fixing container links. */
    private void removeRange(int from, int to) {
        int count = to - from + 1;
        fieldCount -= countNames(from, to);
        System.arraycopy(tape, 2 * (to + 1), tape, 2 * from, 2 * (size - to - 1));
        size -= count;
        shiftLinksAfter(from, -count);
        shiftEnclosingLinks(from, to + 1, -count);
    }

    /** Moves the end link of every container starting at or after {@code first} by {@code delta}. */
    private void shiftLinksAfter(int first, int delta) {
        for (int i = first; i < size; i++) {
            byte k = kind(i);
            if (k == OBJECT_START || k == ARRAY_START) {
                setRef(i, ref(i) + delta);
            }
        }
    }

    /**
     * Moves by {@code delta} the end link of every container that starts before {@code before} and
     * ends at or after {@code endsFrom} (links as they were before the shift): the chain of
     * containers around the changed range, found by descending from the root, skipping siblings.
     */
    private void shiftEnclosingLinks(int before, int endsFrom, int delta) {
        int c = 0;
        while (true) {
            int end = ref(c);
            setRef(c, end + delta);
            if (end == endsFrom) {
                return; // the change sits right before this container's end: no child encloses it
            }
            int next = -1;
            int i = c + 1;
            while (i < before) {
                byte k = kind(i);
                if (k == OBJECT_START || k == ARRAY_START) {
                    if (ref(i) >= endsFrom) {
                        next = i;
                        break;
                    }
                    i = ref(i) + 1;
                } else {
                    i++;
                }
            }
            if (next < 0) {
                return;
            }
            c = next;
        }
    }

    // ------------------------------------------------------------------ internals

    private void open(byte k) {
        int at = token(k);
        if (at >= 0) {
            if (openCount == MAX_OPEN_CONTAINERS) {
                overflow = true;
                return;
            }
            tape[2 * at + 1] = openTop;
            openTop = at;
            if (++openCount > maxDepth) {
                maxDepth = openCount;
            }
        }
    }

    private void close(byte startKind, byte endKind) {
        if (overflow) {
            return;
        }
        if (openCount == 0 || kind(openTop) != startKind) {
            malformed = true;
            return;
        }
        int at = token(endKind);
        if (at >= 0) {
            int start = openTop;
            openTop = (int) tape[2 * start + 1];
            tape[2 * start + 1] = 0L;
            openCount--;
            setRef(start, at);
        }
    }

    private void stringToken(byte k, CharSequence value) {
        int at = token(k);
        if (at >= 0) {
            if (k == NAME) {
                fieldCount++;
            }
            setUtf8(at, value);
        }
    }

    private int token(byte k) {
        if (overflow) {
            return -1;
        }
        if (size == maxTokens) {
            overflow = true;
            return -1;
        }
        ensureTokens(size + 1);
        int at = size++;
        setToken(at, k, -1);
        return at;
    }

    private void ensureTokens(int required) {
        if (2 * required > tape.length) {
            tape = Arrays.copyOf(tape, 2 * Math.max(required, tape.length));
        }
    }

    private static long meta(byte kind, int link, int length) {
        return (kind & KIND_MASK) | ((long) length << LENGTH_SHIFT) | ((long) (link + 1) << LINK_SHIFT);
    }

    /** Arena offset of a string, name or raw number text (-1 when none); end index of a container start. */
    private int ref(int token) {
        return (int) (tape[token << 1] >>> LINK_SHIFT) - 1;
    }

    /** Byte length of a string, name or raw number text. */
    private int len(int token) {
        return (int) ((tape[token << 1] >>> LENGTH_SHIFT) & LENGTH_MASK);
    }

    private long bits(int token) {
        return tape[(token << 1) + 1];
    }

    /** Makes {@code token} a {@code k} with {@code link} and no text, its whole first long written. */
    private void setToken(int token, byte k, int link) {
        tape[token << 1] = meta(k, link, 0);
    }

    private void setRef(int token, int link) {
        int at = token << 1;
        tape[at] = (tape[at] & ((1L << LINK_SHIFT) - 1)) | ((long) (link + 1) << LINK_SHIFT);
    }

    private void setBits(int token, long value) {
        tape[(token << 1) + 1] = value;
    }

    /** Points a token at {@code length} bytes of text at arena offset {@code offset}. */
    private void setText(int token, int offset, int length) {
        tape[token << 1] = meta(kind(token), offset, length);
    }

    private boolean ensureArena(int extra) {
        int required = arenaSize + extra;
        if (required > maxArenaBytes) {
            overflow = true;
            return false;
        }
        if (required > arena.length) {
            arena = Arrays.copyOf(arena, Math.min(maxArenaBytes, Math.max(required, arena.length * 2)));
        }
        return true;
    }

    private void setBytes(int at, byte[] utf8, int offset, int length) {
        if (!ensureArena(length)) {
            return;
        }
        System.arraycopy(utf8, offset, arena, arenaSize, length);
        setText(at, arenaSize, length);
        arenaSize += length;
    }

    private void setBytes(int at, java.nio.ByteBuffer src, int offset, int length) {
        if (!ensureArena(length)) {
            return;
        }
        src.get(offset, arena, arenaSize, length);
        setText(at, arenaSize, length);
        arenaSize += length;
    }

    private void setBytesFromPath(int at, byte[] utf8) {
        setBytes(at, utf8, 0, utf8.length);
    }

    private void setUtf8(int at, char[] chars, int offset, int length) {
        if (!ensureArena(length * 3)) {
            return;
        }
        int start = arenaSize;
        arenaSize = Utf8.encode(chars, offset, length, arena, arenaSize);
        setText(at, start, arenaSize - start);
    }

    private void setUtf8(int at, CharSequence value) {
        if (!ensureArena(value.length() * 3)) {
            return;
        }
        int start = arenaSize;
        arenaSize = Utf8.encode(value, arena, arenaSize);
        setText(at, start, arenaSize - start);
    }

}
