package io.streamprocessor.engine.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns UTF-8 byte strings into dense int ids (0, 1, 2, ...) with a bound on how many it
 * keeps: past {@code maxEntries} it answers {@link #OVERFLOW}, so a flood of distinct names
 * cannot grow memory. Open addressing over arrays; a lookup of a known name allocates nothing.
 *
 * <p>Concurrency: single writer ({@link #intern}); {@link #name} may be read from other threads
 * for ids they learnt through a happens-before edge from the writer (a ring sequence or a lock).
 * {@link #find} may be called by any thread at any time: each slot of the table is published with
 * release semantics after the entry it points to is complete, and a grown table only after it is
 * filled, so a reader finds a complete entry or none (never a wrong one) and may miss only
 * names interned a moment ago.
 */
public final class Interner {
    /** Id answered once the table is full. */
    public static final int OVERFLOW = -1;
    /** What {@link #find} answers for a name not interned (yet). */
    public static final int ABSENT = -2;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);

    private final int maxEntries;
    private volatile int[] table = new int[64]; // id + 1, 0 = empty
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
        int[] table = this.table;
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
        SLOT.setRelease(table, i, id + 1);
        if (size * 2 > table.length) {
            rehash();
        }
        return id;
    }

    /**
     * Any thread: the id of the given bytes if they are interned, else {@link #ABSENT}. Never
     * interns; allocates nothing.
     */
    public int find(byte[] bytes, int offset, int length, long hash) {
        int[] table = this.table;
        int mask = table.length - 1;
        int i = (int) hash & mask;
        while (true) {
            int entry = (int) SLOT.getAcquire(table, i);
            if (entry == 0) {
                return ABSENT;
            }
            int id = entry - 1;
            // the entry's arrays were written before the slot was released: these reads see them
            if (hashes[id] == hash && lengths[id] == length) {
                int at = offsets[id];
                if (Arrays.equals(arena, at, at + length, bytes, offset, offset + length)) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
    }

    private int add(byte[] bytes, int offset, int length, long hash) {
        int id = size;
        if (id == hashes.length) {
            int capacity = id * 2;
            long[] grownHashes = Arrays.copyOf(hashes, capacity);
            int[] grownOffsets = Arrays.copyOf(offsets, capacity);
            int[] grownLengths = Arrays.copyOf(lengths, capacity);
            // a concurrent find may read the new arrays before its slot's release: filled first
            VarHandle.releaseFence();
            hashes = grownHashes;
            offsets = grownOffsets;
            lengths = grownLengths;
            String[] grown = Arrays.copyOf(names, capacity);
            grown[id] = new String(bytes, offset, length, StandardCharsets.UTF_8);
            names = grown;
        } else {
            names[id] = new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        if (arenaSize + length > arena.length) {
            byte[] grownArena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
            VarHandle.releaseFence();
            arena = grownArena;
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
        table = grown; // volatile: a reader that sees the grown table sees it filled
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
