package io.streamprocessor.transport.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast check agrees with the JDK's strict UTF-8 decoder, on chosen and on random bytes. */
class Utf8ValidatorTest {
    /** The reference: the JDK decoder, which reports overlong forms, surrogates and code points past U+10FFFF. */
    private static boolean wellFormed(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void acceptsWellFormedTextAndRejectsEachKindOfIllFormedSequence() {
        assertEquals(-1, firstInvalid(
            "{\"type\":\"métrique\",\"source\":\"网络\",\"data\":{\"e\":\"😀\"}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, firstInvalid(new byte[0]));
        assertEquals(-1, firstInvalid(bytes(0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF)));
        int[][] bad = {
            {0x80}, {0xBF}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
            {0xF0, 0x80, 0x80, 0xAF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80},
            {0xFE}, {0xFF}, {0xC3}, {0xE2, 0x82}, {0xF0, 0x9F, 0x98}, {0xC3, 0x28}, {0xE2, 0x28, 0xA1}};
        for (int[] seq : bad) {
            byte[] body = new byte[12 + seq.length];
            for (int i = 0; i < 11; i++) {
                body[i] = 'a';
            }
            for (int i = 0; i < seq.length; i++) {
                body[11 + i] = (byte) seq[i];
            }
            body[body.length - 1] = 'z';
            assertEquals(11, firstInvalid(body), java.util.Arrays.toString(seq));
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        int[] interesting = {0x00, 0x22, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(24)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(3) == 0 ? (byte) ('a' + random.nextInt(26)) : (byte) interesting[random.nextInt(interesting.length)];
            }
            boolean expected = wellFormed(b);
            assertEquals(expected, firstInvalid(b) < 0, java.util.HexFormat.of().formatHex(b));
        }
    }

    private static int firstInvalid(byte[] b) {
        return Utf8Validator.firstInvalid(b, 0, b.length);
    }

    /** As the server checks a body: read into one array first, then checked within its bounds. */
    private static int firstInvalid(ByteBuf body) {
        BodyBytes b = new BodyBytes().of(body);
        int at = Utf8Validator.firstInvalid(b.array(), b.offset(), b.end());
        return at < 0 ? -1 : at - b.offset();
    }

    @Test
    void readsOnlyTheBodyOfABufferInChunksOrInALargerArray() {
        byte[] text = "{\"v\":\"é😀\"}".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= text.length; split++) {
            CompositeByteBuf c = Unpooled.compositeBuffer();
            c.addComponent(true, Unpooled.wrappedBuffer(text, 0, split));
            c.addComponent(true, Unpooled.wrappedBuffer(text, split, text.length - split));
            assertEquals(-1, firstInvalid(c), "split at " + split);
        }
        ByteBuf window = Unpooled.wrappedBuffer(bytes(0xFF, 'a', 'b', 0xFF));
        window.readerIndex(1).writerIndex(3);
        assertEquals(-1, firstInvalid(window));
    }
}
