package io.streamprocessor.engine.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class InternerTest {

    private static int intern(Interner interner, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return interner.intern(b, 0, b.length, Utf8.hash64(b, 0, b.length));
    }

    @Test
    void sameBytesGetTheSameDenseId() {
        Interner interner = new Interner(100);
        assertEquals(0, intern(interner, "metric"));
        assertEquals(1, intern(interner, "log"));
        assertEquals(0, intern(interner, "metric"));
        assertEquals(1, intern(interner, "log"));
        assertEquals(2, interner.size());
    }

    @Test
    void bytesAreMatchedWithinALargerBuffer() {
        Interner interner = new Interner(100);
        byte[] buffer = "xxmetricyy".getBytes(StandardCharsets.UTF_8);
        int id = interner.intern(buffer, 2, 6, Utf8.hash64(buffer, 2, 6));
        assertEquals(id, intern(interner, "metric"));
        assertEquals("metric", interner.name(id));
    }

    @Test
    void aShortNameAtTheEndOfItsArrayIsTheSameNameAsInTheMiddleOfAnother() {
        // Up to eight bytes are read as one long when the array has eight bytes from the name's start,
        // else byte by byte: both must give the same id, and the same hash.
        Interner interner = new Interner(100);
        byte[] atEnd = "xxsrc-123".getBytes(StandardCharsets.UTF_8);
        byte[] inMiddle = "src-123 and then some more bytes".getBytes(StandardCharsets.UTF_8);
        assertEquals(Utf8.hash64(atEnd, 2, 7), Utf8.hash64(inMiddle, 0, 7));
        int id = interner.intern(atEnd, 2, 7, Utf8.hash64(atEnd, 2, 7));
        assertEquals(id, interner.intern(inMiddle, 0, 7, Utf8.hash64(inMiddle, 0, 7)));
        assertEquals(1, interner.size());
        assertEquals("src-123", interner.name(id));
    }

    @Test
    void namesThatDifferOnlyInTheirLastByteOrInTrailingZerosAreDifferent() {
        Interner interner = new Interner(100);
        String[] names = {"src-1231", "src-1232", "src-123", "src-123\0", "a", "a\0", "\0", "", "sixteen-bytes-01", "sixteen-bytes-02"};
        Map<String, Integer> ids = new HashMap<>();
        for (String n : names) {
            ids.put(n, intern(interner, n));
        }
        assertEquals(names.length, interner.size());
        for (String n : names) {
            assertEquals(ids.get(n), intern(interner, n), n);
            assertEquals(n, interner.name(ids.get(n)));
        }
    }

    @Test
    void nameRoundTripsIncludingNonAscii() {
        Interner interner = new Interner(100);
        for (String s : new String[] {"", "a", "capteur-é", "传感器", "emoji-\uD83D\uDE80"}) {
            assertEquals(s, interner.name(intern(interner, s)));
        }
    }

    @Test
    void pastMaxEntriesNewBytesOverflowButKnownOnesStillResolve() {
        Interner interner = new Interner(3);
        int a = intern(interner, "a");
        int b = intern(interner, "b");
        int c = intern(interner, "c");
        assertEquals(Interner.OVERFLOW, intern(interner, "d"));
        assertEquals(Interner.OVERFLOW, intern(interner, "e"));
        assertEquals(3, interner.size());
        assertEquals(a, intern(interner, "a"));
        assertEquals(b, intern(interner, "b"));
        assertEquals(c, intern(interner, "c"));
    }

    @Test
    void zeroMaxEntriesInternsNothing() {
        Interner interner = new Interner(0);
        assertEquals(Interner.OVERFLOW, intern(interner, "a"));
        assertEquals(0, interner.size());
    }

    @Test
    void manyEntriesSurviveRehashing() {
        int n = 50_000;
        Interner interner = new Interner(n);
        for (int i = 0; i < n; i++) {
            assertEquals(i, intern(interner, "source-" + i));
        }
        for (int i = n - 1; i >= 0; i--) {
            assertEquals(i, intern(interner, "source-" + i), "source-" + i);
            assertEquals("source-" + i, interner.name(i));
        }
        assertEquals(Interner.OVERFLOW, intern(interner, "one-more"));
    }

    @Test
    void differentBytesWithTheSameHashGetDifferentIds() {
        Interner interner = new Interner(1_000);
        Map<String, Integer> ids = new HashMap<>();
        // every entry in one probe chain, across several rehashes; short names (compared as one long)
        // and names longer than eight bytes (compared in the arena), so only the bytes tell them apart
        for (int i = 0; i < 300; i++) {
            String name = i % 2 == 0 ? "k" + i : "a-longer-name-" + i;
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            ids.put(name, interner.intern(b, 0, b.length, 42L));
        }
        assertEquals(300, ids.values().stream().distinct().count());
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            assertEquals(e.getValue(), interner.intern(b, 0, b.length, 42L));
            assertEquals(e.getKey(), interner.name(e.getValue()));
        }
    }

    @Test
    void samePrefixDifferentLengthAreDifferent() {
        Interner interner = new Interner(10);
        assertNotEquals(intern(interner, "web"), intern(interner, "web-1"));
    }
}
