package io.streamprocessor.engine.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import static io.streamprocessor.engine.journal.Journal.FRAME;
import static io.streamprocessor.engine.journal.Journal.RECORD_HEADER;
import static io.streamprocessor.engine.journal.Journal.SEGMENT_HEADER;
import static io.streamprocessor.engine.journal.Journal.STATE;

/** Reads a journal's records in order from a position; see {@link Journal#cursor}. Not thread-safe. */
public final class JournalCursor implements AutoCloseable {
    private final Journal journal;
    private final long from;
    private Segment segment;
    private ByteBuffer map;
    private long mapped;
    private int at;

    JournalCursor(Journal journal, long from) {
        this.journal = journal;
        this.from = from;
    }

    /**
     * Hands the next record at or after the cursor's first position (state records skipped) to
     * {@code visitor}; false when every written record has been read.
     */
    public boolean next(Journal.Visitor visitor) throws IOException {
        while (true) {
            if (segment == null && !open()) {
                return false;
            }
            if (at >= mapped) {
                if (segment.size > mapped) {
                    remap();
                    continue;
                }
                Segment after = journal.segmentAfter(segment);
                if (after == null) {
                    return false;
                }
                segment = after;
                mapped = 0;
                at = SEGMENT_HEADER;
                remap();
                continue;
            }
            int length = map.getInt(at);
            byte kind = map.get(at + FRAME);
            long position = map.getLong(at + FRAME + 1);
            int payload = at + FRAME + RECORD_HEADER;
            at += FRAME + length;
            if (kind != STATE && position >= from) {
                visitor.onRecord(kind, position, map, payload, length - RECORD_HEADER);
                return true;
            }
        }
    }

    /** Finds the segment holding the first position. */
    private boolean open() throws IOException {
        segment = journal.segmentFor(from);
        if (segment == null) {
            return false;
        }
        at = SEGMENT_HEADER;
        remap();
        return true;
    }

    private void remap() throws IOException {
        long size = segment.size;
        try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        }
        mapped = size;
    }

    @Override
    public void close() {
        map = null;
        segment = null;
    }
}
