package io.streamprocessor.engine.journal;

import io.streamprocessor.engine.stats.Notices;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.streamprocessor.engine.journal.Journal.FRAME;
import static io.streamprocessor.engine.journal.Journal.MAGIC;
import static io.streamprocessor.engine.journal.Journal.RECORD_HEADER;
import static io.streamprocessor.engine.journal.Journal.SEGMENT_HEADER;
import static io.streamprocessor.engine.journal.Journal.STATE;
import static io.streamprocessor.engine.journal.Journal.VERSION;

/**
 * Opening a journal: every segment's every record is read and its CRC32C checked. A damaged last
 * record of the last segment is what a crash mid-write leaves, and is cut with a notice; damage
 * anywhere else stops start-up, or with {@link JournalSettings.OnCorruption#TRUNCATE} everything
 * from it on is moved aside into {@code .damaged} files. Single-threaded, used once.
 */
final class Recovery {
    private final JournalSettings.OnCorruption onCorruption;
    private final Notices notices;
    private final CRC32C crc = new CRC32C();
    /** Records found, state records included. */
    long records;
    /** Bytes of the segments kept. */
    long bytes;

    Recovery(JournalSettings.OnCorruption onCorruption, Notices notices) {
        this.onCorruption = onCorruption;
        this.notices = notices;
    }

    /** Checks every segment in {@code dir}, oldest first; returns those kept. */
    List<Segment> scan(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> Journal.SEGMENT_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            boolean last = i == files.size() - 1;
            long first = Long.parseLong(file.getFileName().toString().substring(0, 20));
            Segment s = new Segment(file, first);
            long damagedAt = check(s, last);
            if (damagedAt >= 0) {
                if (onCorruption == JournalSettings.OnCorruption.STOP) {
                    throw new JournalCorruptException("the journal is damaged in " + file + " at byte " + damagedAt
                        + ": a record before the last one fails its checksum, so what follows it cannot be trusted."
                        + " Nothing was changed. To start anyway, keeping every event before the damage and moving"
                        + " the rest aside (those events are lost), start once with --journal.on-corruption truncate;"
                        + " or move the journal directory away to start empty.");
                }
                moveAside(s, damagedAt, files.subList(i + 1, files.size()));
                segments.add(s);
                break;
            }
            segments.add(s);
        }
        return segments;
    }

    /**
     * Checks every record of {@code s}, setting its size and last position; cuts a damaged last
     * record of the last segment. Returns the offset of damage to report, or -1.
     */
    private long check(Segment s, boolean lastSegment) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = ch.size();
            if (fileSize < SEGMENT_HEADER) {
                if (lastSegment) {
                    // A crash while the segment was being started: it holds nothing.
                    notices.warn("journal: removed " + s.path.getFileName() + ", a segment the crash left unstarted");
                    ch.close();
                    Files.delete(s.path);
                    s.size = 0;
                    return -1;
                }
                return 0;
            }
            SegmentReader r = new SegmentReader(ch, fileSize);
            int h = r.window(0, SEGMENT_HEADER);
            ByteBuffer b = r.buffer();
            if (b.getInt(h) != MAGIC || b.getInt(h + 4) != VERSION || b.getLong(h + 8) != s.firstPosition) {
                return 0;
            }
            long at = SEGMENT_HEADER;
            long lastPosition = s.firstPosition - 1;
            while (at < fileSize) {
                int bad = badRecord(r, at, lastPosition);
                if (bad != 0) {
                    // Damage the writes of a crash explain: the last record running past the end, or
                    // followed by nothing but zeros (blocks allocated, never written).
                    boolean tail = lastSegment && (bad == 2 || r.zeroFrom(at + FRAME + lengthAt(r, at)));
                    if (!tail) {
                        return at;
                    }
                    if (!r.zeroFrom(at)) {
                        notices.warn("journal: cut a torn record at the end of " + s.path.getFileName() + " (byte " + at
                            + ", " + (fileSize - at) + " bytes): a write the crash interrupted, never acknowledged");
                    }
                    ch.truncate(at);
                    break;
                }
                int w = r.window(at, FRAME + RECORD_HEADER);
                b = r.buffer();
                int length = b.getInt(w);
                if (b.get(w + FRAME) != STATE) {
                    lastPosition = b.getLong(w + FRAME + 1);
                }
                records++;
                at += FRAME + length;
            }
            s.size = Math.min(at, fileSize);
            s.lastPosition = lastPosition;
            bytes += s.size;
            return -1;
        }
    }

    private static int lengthAt(SegmentReader r, long at) throws IOException {
        int w = r.window(at, 4);
        return w < 0 ? 0 : Math.max(0, r.buffer().getInt(w));
    }

    /** 0 when the record at {@code at} is whole and sound; 2 when it runs past the end; 1 when it is damaged. */
    private int badRecord(SegmentReader r, long at, long lastPosition) throws IOException {
        int w = r.window(at, FRAME + RECORD_HEADER);
        if (w < 0) {
            return 2;
        }
        int length = r.buffer().getInt(w);
        if (length < RECORD_HEADER) {
            return 1;
        }
        w = r.window(at, FRAME + length);
        if (w < 0) {
            return 2;
        }
        ByteBuffer b = r.buffer();
        crc.reset();
        crc.update(b.array(), w + FRAME, length);
        if ((int) crc.getValue() != b.getInt(w + 4)) {
            return 1;
        }
        byte kind = b.get(w + FRAME);
        return kind != STATE && b.getLong(w + FRAME + 1) <= lastPosition ? 1 : 0;
    }

    private void moveAside(Segment s, long damagedAt, List<Path> after) throws IOException {
        Path aside = s.path.resolveSibling(s.path.getFileName() + ".damaged");
        try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            in.transferTo(damagedAt, size - damagedAt, out);
            in.truncate(Math.max(damagedAt, SEGMENT_HEADER));
        }
        for (Path p : after) {
            Files.move(p, p.resolveSibling(p.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
        }
        check(s, true);
        notices.warn("journal: damage in " + s.path.getFileName() + " at byte " + damagedAt + ": kept the records before it,"
            + " moved the rest aside (" + aside.getFileName() + (after.isEmpty() ? "" : " and " + after.size() + " later segments")
            + "); the events in them are lost");
    }
}
