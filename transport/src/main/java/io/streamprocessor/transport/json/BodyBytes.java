package io.streamprocessor.transport.json;

import io.netty.buffer.ByteBuf;

/**
 * A request body as one run of a byte array, for the passes over it (batch count, UTF-8 check,
 * parse). The aggregated body of a large request is a composite of the chunks it arrived in,
 * where reading a byte means finding its chunk first: counting a batch of 1,000 events byte by
 * byte that way took a third of the I/O thread under batch load. One copy into an array costs a
 * fraction of that, and the parser then reads the array directly instead of through a stream.
 *
 * <p>One per I/O thread, reused for every request it reads: the array grows to the largest body
 * seen, up to {@link #RETAINED_BYTES}; a larger body gets an array of its own, dropped after.
 * Not thread-safe; valid until the next {@link #of}.
 */
public final class BodyBytes {
    /** The largest array kept between requests; larger bodies get one of their own for their request. */
    static final int RETAINED_BYTES = 1 << 20;

    private byte[] scratch = new byte[4096];
    private byte[] array;
    private int offset;
    private int length;

    /** Makes this the readable bytes of {@code body} (which is left unchanged) and returns it. */
    public BodyBytes of(ByteBuf body) {
        int n = body.readableBytes();
        if (body.hasArray()) {
            array = body.array();
            offset = body.arrayOffset() + body.readerIndex();
        } else {
            if (n > scratch.length) {
                byte[] bigger = new byte[Math.max(n, Math.min(RETAINED_BYTES, scratch.length * 2))];
                if (bigger.length <= RETAINED_BYTES) {
                    scratch = bigger;
                }
                array = bigger;
            } else {
                array = scratch;
            }
            body.getBytes(body.readerIndex(), array, 0, n);
            offset = 0;
        }
        length = n;
        return this;
    }

    public byte[] array() {
        return array;
    }

    /** Where the body starts in {@link #array()}. */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Where the body ends in {@link #array()}, exclusive. */
    public int end() {
        return offset + length;
    }
}
