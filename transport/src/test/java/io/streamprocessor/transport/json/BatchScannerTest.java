package io.streamprocessor.transport.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The count a batch claims its slots by: what is inside strings and nested values does not count. */
class BatchScannerTest {
    private static int count(String body, int limit) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return BatchScanner.count(b, 0, b.length, limit);
    }

    @Test
    void countsTopLevelElementsOnly() {
        assertEquals(0, count("[]", 10));
        assertEquals(0, count("  [ ]  ", 10));
        assertEquals(1, count("[{}]", 10));
        assertEquals(3, count("[{\"a\":[1,2,{\"b\":[3]}]}, 7, \"x\"]", 10));
        assertEquals(2, count("[[1,2,3],[4,[5,6]]]", 10));
    }

    @Test
    void bracketsCommasAndQuotesInsideStringsAreText() {
        assertEquals(2, count("[{\"type\":\"a,]}[{\"}, {\"type\":\"b\\\",\\\\\"}]", 10));
        assertEquals(1, count("[\"\\\\\"]", 10));
        assertEquals(1, count("[\"ü, ]\"]", 10));
    }

    @Test
    void stopsAsSoonAsThereAreMoreThanTheLimit() {
        assertEquals(3, count("[1,2,3,4,5,6]", 2));
        assertEquals(2, count("[1,2]", 2));
    }

    @Test
    void randomArraysAreCountedAsTheParserReadsThem() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        JsonFactory json = new JsonFactory();
        for (int round = 0; round < 2_000; round++) {
            StringBuilder b = new StringBuilder("[");
            int n = random.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : random.nextBoolean() ? "," : " ,\n ");
                value(b, random, 0);
            }
            String body = b.append(random.nextBoolean() ? "]" : " ] ").toString();
            int parsed = 0;
            try (JsonParser p = json.createParser(body)) {
                p.nextToken();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                    parsed++;
                }
            }
            assertEquals(parsed, count(body, 100), body);
        }
    }

    /** A random JSON value, with strings full of what the scan must not take for structure. */
    private static void value(StringBuilder b, SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 3 ? 3 : 5)) {
            case 0 -> b.append(random.nextInt(-1000, 1000));
            case 1 -> b.append(random.nextBoolean() ? "true" : "null");
            case 2 -> {
                String[] parts = {"a", "[", "]", "{", "}", ",", "\\\"", "\\\\", "ü", " ", ":"};
                b.append('"');
                for (int k = random.nextInt(6); k > 0; k--) {
                    b.append(parts[random.nextInt(parts.length)]);
                }
                b.append('"');
            }
            case 3 -> {
                b.append('[');
                for (int k = random.nextInt(4), i = 0; i < k; i++) {
                    b.append(i == 0 ? "" : ",");
                    value(b, random, depth + 1);
                }
                b.append(']');
            }
            default -> {
                b.append('{');
                for (int k = random.nextInt(4), i = 0; i < k; i++) {
                    b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":");
                    value(b, random, depth + 1);
                }
                b.append('}');
            }
        }
    }

    @Test
    void aBodyCutShortOrNotJsonIsCountedWithoutFailing() {
        // The parser that follows refuses these; the count only has to come back.
        assertEquals(1, count("[\"ab\\", 10));
        assertEquals(1, count("[{\"a\":\"b\\", 10));
        assertEquals(1, count("[[[[", 10));
        assertEquals(1, count("[{]", 10));
        assertEquals(1, count("[}", 10));
        assertEquals(1, count("[1 2]", 10));
        assertEquals(1, count("[1,,]", 10));
    }

    @Test
    void aBodyThatIsNotAnArrayIsSaidToBeNone() {
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("", 10));
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("   ", 10));
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("{\"a\":[1]}", 10));
    }
}
