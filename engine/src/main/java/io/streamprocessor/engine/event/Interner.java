package io.streamprocessor.engine.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns UTF-8 byte strings into dense int ids (0, 1, 2, ...) with a bound on how many it
 * keeps: past {@code maxEntries} it answers {@link #OVERFLOW}, so a flood of distinct names
 * cannot grow memory. Open addressing over arrays; a lookup of a known name allocates nothing.
 *
 * <p>Concurrency: single writer ({@link #intern}); {@link #name} may be read from other threads
 * for ids they learnt through a happens-before edge from the writer (a ring sequence or a lock).
 */
public final class Interner {
    /** Id answered once the table is full. */
    public static final int OVERFLOW = -1;

    private final int maxEntries;
    /**
     * The hash table, four longs a slot so that a lookup reads one cache line: the hash, the bytes
     * of a name of up to eight bytes as {@link Utf8#tail} packs them (0 for a longer one), and the
     * length (high half) with id + 1 (low half; 0 = an empty slot); the fourth is unused.
     */
    private long[] slots = new long[64 * STRIDE];
    private int mask = 63;
    private int[] offsets = new int[32];
    private byte[] arena = new byte[1024];
    private int arenaSize;
    private volatile String[] names = new String[32];
    private int size;

    private static final int STRIDE = 4;

    public Interner(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The id of the given bytes, interning them if new and there is room; {@link #OVERFLOW} otherwise. */
    public int intern(byte[] bytes, int offset, int length, long hash) {
        long tail = length <= 8 ? Utf8.tail(bytes, offset, length) : 0L;
        long[] t = slots;
        int i = (int) hash & mask;
        while (true) {
            int at = i * STRIDE;
            long meta = t[at + 2];
            if (meta == 0) {
                break;
            }
            if (t[at] == hash && (int) (meta >>> 32) == length) {
                int id = (int) meta - 1;
                if (length <= 8 ? t[at + 1] == tail
                    : Arrays.equals(arena, offsets[id], offsets[id] + length, bytes, offset, offset + length)) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
        if (size == maxEntries) {
            return OVERFLOW;
        }
        int id = add(bytes, offset, length);
        int at = i * STRIDE;
        t[at] = hash;
        t[at + 1] = tail;
        t[at + 2] = ((long) length << 32) | (id + 1L);
        if (size * 2 > mask + 1) {
            rehash();
        }
        return id;
    }

    private int add(byte[] bytes, int offset, int length) {
        int id = size;
        if (id == offsets.length) {
            int capacity = id * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            String[] grown = Arrays.copyOf(names, capacity);
            grown[id] = new String(bytes, offset, length, StandardCharsets.UTF_8);
            names = grown;
        } else {
            names[id] = new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(bytes, offset, arena, arenaSize, length);
        offsets[id] = arenaSize;
        arenaSize += length;
        size++;
        return id;
    }

    private void rehash() {
        long[] old = slots;
        int capacity = (mask + 1) * 2;
        long[] grown = new long[capacity * STRIDE];
        int m = capacity - 1;
        for (int from = 0; from < old.length; from += STRIDE) {
            if (old[from + 2] == 0) {
                continue;
            }
            int i = (int) old[from] & m;
            while (grown[i * STRIDE + 2] != 0) {
                i = (i + 1) & m;
            }
            System.arraycopy(old, from, grown, i * STRIDE, STRIDE);
        }
        slots = grown;
        mask = m;
    }

    /** The text of an interned id. */
    public String name(int id) {
        return names[id];
    }

    public int size() {
        return size;
    }

    public int maxEntries() {
        return maxEntries;
    }
}
