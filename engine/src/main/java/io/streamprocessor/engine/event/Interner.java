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
    private int[] table = new int[64]; // id + 1, 0 = empty
    private long[] hashes = new long[32];
    private int[] offsets = new int[32];
    private int[] lengths = new int[32];
    private byte[] arena = new byte[1024];
    private int arenaSize;
    private volatile String[] names = new String[32];
    private int size;

    public Interner(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The id of the given bytes, interning them if new and there is room; {@link #OVERFLOW} otherwise. */
    public int intern(byte[] bytes, int offset, int length, long hash) {
        int mask = table.length - 1;
        int i = (int) hash & mask;
        while (true) {
            int entry = table[i];
            if (entry == 0) {
                break;
            }
            int id = entry - 1;
            if (hashes[id] == hash && lengths[id] == length
                && Arrays.equals(arena, offsets[id], offsets[id] + length, bytes, offset, offset + length)) {
                return id;
            }
            i = (i + 1) & mask;
        }
        if (size == maxEntries) {
            return OVERFLOW;
        }
        int id = add(bytes, offset, length, hash);
        table[i] = id + 1;
        if (size * 2 > table.length) {
            rehash();
        }
        return id;
    }

    private int add(byte[] bytes, int offset, int length, long hash) {
        int id = size;
        if (id == hashes.length) {
            int capacity = id * 2;
            hashes = Arrays.copyOf(hashes, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
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
        hashes[id] = hash;
        offsets[id] = arenaSize;
        lengths[id] = length;
        arenaSize += length;
        size++;
        return id;
    }

    private void rehash() {
        int[] grown = new int[table.length * 2];
        int mask = grown.length - 1;
        for (int id = 0; id < size; id++) {
            int i = (int) hashes[id] & mask;
            while (grown[i] != 0) {
                i = (i + 1) & mask;
            }
            grown[i] = id + 1;
        }
        table = grown;
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
