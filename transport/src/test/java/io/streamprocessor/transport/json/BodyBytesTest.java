package io.streamprocessor.transport.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A body reaches the passes over it byte for byte, however it arrived. */
class BodyBytesTest {
    private final BodyBytes bytes = new BodyBytes();

    @Test
    void aBodyInChunksIsReadAsOneRun() {
        String batch = "[{\"type\":\"a\",\"source\":\"s\"},{\"type\":\"b\",\"source\":\"t\"}]";
        byte[] all = batch.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= all.length; split++) {
            CompositeByteBuf body = Unpooled.compositeBuffer();
            body.addComponent(true, Unpooled.directBuffer().writeBytes(all, 0, split));
            body.addComponent(true, Unpooled.directBuffer().writeBytes(all, split, all.length - split));
            try {
                assertArrayEquals(all, read(bytes.of(body)), "split at " + split);
                assertEquals(2, BatchScanner.count(bytes.array(), bytes.offset(), bytes.end(), 10), "split at " + split);
            } finally {
                body.release();
            }
        }
    }

    @Test
    void anArrayBackedBodyIsReadWhereItIs() {
        byte[] backing = "xx{\"type\":\"a\"}yy".getBytes(StandardCharsets.UTF_8);
        ByteBuf body = Unpooled.wrappedBuffer(backing).slice(2, 12);
        body.readerIndex(1); // what is left: "type":"a"}
        BodyBytes b = bytes.of(body);
        assertEquals("\"type\":\"a\"}", new String(read(b), StandardCharsets.UTF_8));
    }

    @Test
    void aBodyLargerThanWhatIsKeptIsReadWholeAndTheNextOneToo() {
        byte[] big = new byte[BodyBytes.RETAINED_BYTES + 10];
        Arrays.fill(big, (byte) 'a');
        ByteBuf bigBody = Unpooled.directBuffer(big.length).writeBytes(big);
        ByteBuf small = Unpooled.directBuffer().writeBytes("[1,2,3]".getBytes(StandardCharsets.UTF_8));
        try {
            assertArrayEquals(big, read(bytes.of(bigBody)));
            assertEquals(3, BatchScanner.count(bytes.of(small).array(), bytes.offset(), bytes.end(), 10));
            assertEquals("[1,2,3]", new String(read(bytes), StandardCharsets.UTF_8));
        } finally {
            bigBody.release();
            small.release();
        }
    }

    private static byte[] read(BodyBytes b) {
        return Arrays.copyOfRange(b.array(), b.offset(), b.end());
    }
}
