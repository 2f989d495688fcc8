package io.streamprocessor.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads a segment file front to back through one heap buffer filled by positional reads: faster
 * here than a fresh memory mapping, whose first touch of every page faults, and a heap buffer lets
 * decoding copy small strings with {@code System.arraycopy}. Not thread-safe.
 */
final class SegmentReader {
    private static final int CHUNK = 1 << 20;

    private final FileChannel channel;
    private final long size;
    private ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    /** File offset of the buffer's index 0. */
    private long start;

    SegmentReader(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
        buffer.limit(0);
    }

    /**
     * Makes the file's bytes {@code [offset, offset + length)} readable in {@link #buffer()} and returns
     * the index where they start, or -1 when the file ends before them.
     */
    int window(long offset, int length) throws IOException {
        if (offset + length > size) {
            return -1;
        }
        if (offset >= start && offset + length <= start + buffer.limit()) {
            return (int) (offset - start);
        }
        if (length > buffer.capacity()) {
            buffer = ByteBuffer.allocate(Math.max(length, buffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear();
        int want = (int) Math.min(buffer.capacity(), size - offset);
        buffer.limit(want);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        start = offset;
        return buffer.limit() >= length ? 0 : -1;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** Whether every byte of the file from {@code offset} to its end is zero. */
    boolean zeroFrom(long offset) throws IOException {
        for (long at = Math.max(offset, 0); at < size; ) {
            int n = (int) Math.min(CHUNK, size - at);
            int w = window(at, n);
            byte[] a = buffer.array();
            for (int i = w; i < w + n; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }
}
