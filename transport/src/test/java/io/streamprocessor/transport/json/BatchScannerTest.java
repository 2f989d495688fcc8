package io.streamprocessor.transport.json;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The count a batch claims its slots by: what is inside strings and nested values does not count. */
class BatchScannerTest {
    private static int count(String body, int limit) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        int fromArray = BatchScanner.count(b, 0, b.length, limit);
        assertEquals(fromArray, BatchScanner.count(Unpooled.wrappedBuffer(b), limit), "buffer and array agree on " + body);
        return fromArray;
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
    void aBodyThatIsNotAnArrayIsSaidToBeNone() {
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("", 10));
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("   ", 10));
        assertEquals(BatchScanner.NOT_AN_ARRAY, count("{\"a\":[1]}", 10));
    }
}
