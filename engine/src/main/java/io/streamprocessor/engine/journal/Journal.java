package io.streamprocessor.engine.journal;

import io.streamprocessor.engine.stats.Notices;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in segment files, the engine's memory across crashes. Records
 * are framed by their length and a CRC32C of their bytes, so start-up tells a record a crash cut
 * short (the last one: cut, with a notice) from damage in the middle (start-up stops, or moves the
 * rest aside when told to).
 *
 * <pre>
 * segment = magic:i32 version:i32 firstPosition:i64 record*        (file name: firstPosition, 20 digits)
 * record  = length:i32 crc32c:i32 kind:u8 position:i64 payload     (length and CRC cover kind..payload)
 * </pre>
 *
 * Every segment starts with a {@link #STATE} record written by the {@link StateWriter}: what the
 * records of the segments before it add up to, so segments no one needs any more can be deleted.
 *
 * <p>Writes are positional ({@link FileChannel#write(ByteBuffer, long)}): records are gathered in a
 * heap buffer and written once per ring batch ({@link #endOfBatch()}), so a record is in the
 * operating system's cache, and survives the process dying, once that returns. A full disk is an
 * {@link IOException} to retry, never a crash of the process (as a store into a memory-mapped file
 * with no block behind it would be).
 *
 * <p>Threads: one writer thread ({@link #reserve}, {@link #commit}, {@link #endOfBatch}); a
 * housekeeping thread of its own (fsync by interval, retention, the sinks' checkpoint); any thread
 * may read {@link #refusal()}. Opening scans and checks every record; {@link #replay} then hands
 * them out before the first write.
 */
public final class Journal implements AutoCloseable {
    /** The kind of the record that opens every segment. */
    public static final byte STATE = 0;
    static final int MAGIC = 0x53504A31;
    static final int VERSION = 1;
    static final int SEGMENT_HEADER = 16;
    /** Length and CRC. */
    static final int FRAME = 8;
    /** Kind and position, covered by the CRC. */
    static final int RECORD_HEADER = 9;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.journal");
    private static final long CHECKPOINT_MILLIS = 100;
    private static final int BATCH_BYTES = 1 << 20;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Writes the state record that opens a segment; returns its payload's length. Writer thread. */
    public interface StateWriter {
        /** An upper bound of what {@link #write} writes now. */
        int maxLength();

        int write(ByteBuffer buffer, int offset);
    }

    /** Receives the records of the journal in order, at start. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @return the record's event time (epoch ms) when windows may need it, else {@link Long#MIN_VALUE};
         * a segment whose records' event times have all left the windows may be deleted
         */
        long onRecord(byte kind, long position, ByteBuffer buffer, int offset, int length);
    }

    /** What the housekeeping thread asks the pipeline, every second. Any of its answers may be stale, never ahead. */
    public interface Needs {
        /** Per sink, the position through which it has delivered every event; a restart hands it the later ones. */
        Map<String, Long> sinkPositions();

        /** Records with event times before this are no longer needed by any window. */
        long oldestNeededEventTime();

        /** Called every 10 ms: a chance to move on work that waits for the pipeline's next batch. */
        default void nudge() {
        }
    }

    private final JournalSettings settings;
    private final Path dir;
    private final Notices notices;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Oldest first; guarded by itself. */
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, Long> checkpoint;
    private final SinkCheckpoint sinkCheckpoint;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer batch = ByteBuffer.allocate(BATCH_BYTES).order(LE);
    private int batchSize;
    private long nextPosition;
    /** The largest event time committed to the current segment, published to it by {@link #flush}. */
    private long pendingMaxEventTime = Long.MIN_VALUE;
    private long records;
    private long replayedBytes;
    private StateWriter stateWriter;
    private Needs needs;
    private volatile Segment current;
    private volatile FileChannel channel;
    private volatile String refusal;
    private volatile boolean closing;
    private ScheduledExecutorService housekeeper;
    /** A failure every write meets until cleared: how tests stand in for a full disk. */
    private volatile IOException injectedFailure;

    private Journal(JournalSettings settings, Notices notices) throws IOException {
        this.settings = settings;
        this.dir = settings.dir();
        this.notices = notices;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the journal directory " + dir + ": " + reason(e), e);
        }
        try {
            this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot use the journal directory " + dir + ": " + reason(e), e);
        }
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("the journal directory " + dir + " is in use by another running server; "
                + "give each server a journal.dir of its own");
        }
        this.lock = l;
        this.sinkCheckpoint = new SinkCheckpoint(dir);
        this.checkpoint = sinkCheckpoint.read();
    }

    /**
     * Opens the journal in {@code settings.dir()}, creating it when absent, and checks every record:
     * a damaged last record is cut (with a notice); damage before the last record throws, or with
     * {@link JournalSettings.OnCorruption#TRUNCATE} is moved aside. Nothing is written until
     * {@link #startWriting}.
     *
     * @param notices receives one line per notable thing (a cut record, damage moved aside)
     * @throws JournalCorruptException when a record before the last is damaged and start-up should stop
     * @throws IOException when the directory cannot be used
     */
    public static Journal open(JournalSettings settings, Notices notices) throws IOException {
        Journal j = new Journal(settings, notices);
        try {
            j.scan();
        } catch (IOException | RuntimeException e) {
            j.releaseLock();
            throw e;
        }
        return j;
    }

    public JournalSettings settings() {
        return settings;
    }

    /** Position of the first record written from now on: one past the last record found. */
    public long nextPosition() {
        return nextPosition;
    }

    /** Records found at opening, state records included. */
    public long records() {
        return records;
    }

    /** Bytes of the segments found at opening. */
    public long bytes() {
        long n = 0;
        synchronized (segments) {
            for (Segment s : segments) {
                n += s.size;
            }
        }
        return n;
    }

    /** Segment files now. */
    public int segmentCount() {
        synchronized (segments) {
            return segments.size();
        }
    }

    /** The positions the sinks had delivered through at the last checkpoint, by sink name; empty on a new journal. */
    public Map<String, Long> checkpointedSinkPositions() {
        return checkpoint;
    }

    // ------------------------------------------------------------------ opening

    private void scan() throws IOException {
        Recovery r = new Recovery(settings.onCorruption(), notices);
        segments.addAll(r.scan(dir));
        records = r.records;
        replayedBytes = r.bytes;
        nextPosition = 0;
        for (Segment seg : segments) {
            if (seg.lastPosition >= nextPosition) {
                nextPosition = seg.lastPosition + 1;
            }
        }
        if (!segments.isEmpty()) {
            nextPosition = Math.max(nextPosition, segments.get(segments.size() - 1).firstPosition);
        }
    }

    /**
     * Hands every record, oldest first, to {@code visitor}, which says each one's event time so
     * retention knows what the windows need. Call once, before {@link #startWriting}.
     */
    public void replay(Visitor visitor) throws IOException {
        List<Segment> list;
        synchronized (segments) {
            list = new ArrayList<>(segments);
        }
        for (Segment s : list) {
            if (s.size < SEGMENT_HEADER) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
                SegmentReader r = new SegmentReader(ch, s.size);
                long at = SEGMENT_HEADER;
                long maxEventTime = Long.MIN_VALUE;
                while (at < s.size) {
                    int w = r.window(at, FRAME + RECORD_HEADER);
                    int length = r.buffer().getInt(w);
                    w = r.window(at, FRAME + length);
                    ByteBuffer b = r.buffer();
                    byte kind = b.get(w + FRAME);
                    long position = b.getLong(w + FRAME + 1);
                    long t = visitor.onRecord(kind, position, b, w + FRAME + RECORD_HEADER, length - RECORD_HEADER);
                    if (t > maxEventTime) {
                        maxEventTime = t;
                    }
                    at += FRAME + length;
                }
                s.maxEventTime = maxEventTime;
            }
        }
    }

    /**
     * Reads the records from {@code fromPosition} on, as far as they are written, including those
     * written after the cursor was made. For a sink catching up from the journal; use it on the
     * writer's thread, after {@link #endOfBatch()}, which is what makes the records readable.
     */
    public JournalCursor cursor(long fromPosition) {
        return new JournalCursor(this, fromPosition);
    }

    /** The segment holding {@code position}: the last one starting at or before it, else the first; null when none. */
    Segment segmentFor(long position) {
        synchronized (segments) {
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (segments.get(i).firstPosition <= position || i == 0) {
                    return segments.get(i);
                }
            }
            return null;
        }
    }

    /** The segment after {@code s}, or null while it is the newest. */
    Segment segmentAfter(Segment s) {
        synchronized (segments) {
            int i = segments.indexOf(s);
            return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
        }
    }

    /** Bytes checked at opening. */
    public long replayedBytes() {
        return replayedBytes;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Starts a new segment, opened by a state record from {@code stateWriter} (which is asked again
     * at every later segment), and the housekeeping thread.
     */
    public void startWriting(StateWriter stateWriter, Needs needs, String threadName) throws IOException {
        this.stateWriter = stateWriter;
        this.needs = needs;
        roll();
        flush();
        housekeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        housekeeper.scheduleWithFixedDelay(this::housekeep, 1, 1, TimeUnit.SECONDS);
        // The sinks' positions more often than retention: what a crash hands a sink again is what it
        // delivered since the last checkpoint.
        housekeeper.scheduleWithFixedDelay(() -> {
            try {
                writeCheckpoint();
            } catch (Throwable t) {
                notices.warn("journal: cannot write the sinks' checkpoint: " + reason(t));
            }
        }, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS, TimeUnit.MILLISECONDS);
        housekeeper.scheduleWithFixedDelay(() -> {
            try {
                needs.nudge();
            } catch (Throwable t) {
                notices.warn("journal: " + reason(t));
            }
        }, 10, 10, TimeUnit.MILLISECONDS);
        if (settings.fsync() == JournalSettings.Fsync.INTERVAL) {
            long every = settings.fsyncIntervalMillis();
            housekeeper.scheduleWithFixedDelay(this::forceQuietly, every, every, TimeUnit.MILLISECONDS);
        }
        writeCheckpoint();
    }

    /**
     * Makes room for a record of at most {@code maxPayload} bytes, starting a new segment first when
     * it would not fit the current one; returns the offset of the payload in {@link #buffer()}.
     */
    public int reserve(int maxPayload) {
        int need = FRAME + RECORD_HEADER + maxPayload;
        Segment s = current;
        if (s.size + batchSize + need > settings.segmentBytes() && s.size + batchSize > SEGMENT_HEADER + FRAME + RECORD_HEADER) {
            flush();
            roll();
        }
        ensureRoom(need);
        return batchSize + FRAME + RECORD_HEADER;
    }

    private void ensureRoom(int need) {
        if (batchSize + need <= batch.capacity()) {
            return;
        }
        flush();
        if (need > batch.capacity()) {
            batch = ByteBuffer.allocate(Math.max(need, batch.capacity() * 2)).order(LE);
        }
    }

    /** The buffer {@link #reserve} made room in. */
    public ByteBuffer buffer() {
        return batch;
    }

    /** Frames the payload written at the offset {@link #reserve} returned. */
    public void commit(byte kind, long position, int payloadLength, long eventTime) {
        int at = batchSize;
        int length = RECORD_HEADER + payloadLength;
        batch.put(at + FRAME, kind);
        batch.putLong(at + FRAME + 1, position);
        crc.reset();
        batch.limit(at + FRAME + length).position(at + FRAME);
        crc.update(batch);
        batch.clear();
        batch.putInt(at + 4, (int) crc.getValue());
        batch.putInt(at, length);
        batchSize = at + FRAME + length;
        if (kind != STATE) {
            nextPosition = position + 1;
        }
        if (eventTime > pendingMaxEventTime) {
            pendingMaxEventTime = eventTime;
        }
    }

    /**
     * Writes what was committed since the last call and, with {@link JournalSettings.Fsync#BATCH},
     * forces it to the disk. When the disk refuses (full, say) it keeps retrying every 200 ms, with
     * {@link #refusal()} saying why, until it succeeds or the journal closes: the events waiting on
     * it are never acknowledged without being written.
     */
    public void endOfBatch() {
        flush();
        if (settings.fsync() == JournalSettings.Fsync.BATCH) {
            while (true) {
                try {
                    channel.force(false);
                    return;
                } catch (IOException e) {
                    failed(e);
                }
            }
        }
    }

    private void flush() {
        if (batchSize == 0) {
            return;
        }
        batch.limit(batchSize).position(0);
        Segment s = current;
        while (batch.hasRemaining()) {
            try {
                IOException injected = injectedFailure;
                if (injected != null) {
                    throw injected;
                }
                int n = channel.write(batch, s.size);
                s.size += n;
            } catch (IOException e) {
                failed(e);
            }
        }
        batch.clear();
        batchSize = 0;
        // Published once per write rather than per record: retention reads them from its own thread.
        s.lastPosition = nextPosition - 1;
        if (pendingMaxEventTime > s.maxEventTime) {
            s.maxEventTime = pendingMaxEventTime;
        }
        if (refusal != null) {
            refusal = null;
            notices.info("journal: writing again in " + dir);
        }
    }

    private void failed(IOException e) {
        if (closing) {
            throw new IllegalStateException("journal write failed while closing: " + reason(e), e);
        }
        if (refusal == null) {
            String why = reason(e);
            refusal = why.toLowerCase(java.util.Locale.ROOT).contains("space")
                ? "no space left for the journal, retry later"
                : "the journal cannot be written, retry later";
            notices.warn("journal: cannot write to " + dir + " (" + why + "); holding events until it can, retrying every 200 ms");
        }
        LockSupport.parkNanos(RETRY_NANOS);
    }

    /** Why the journal cannot take events now, in words for a client, or null when it can. Any thread. */
    public String refusal() {
        return refusal;
    }

    private void roll() {
        while (true) {
            try {
                openSegment(nextPosition);
                break;
            } catch (IOException e) {
                failed(e);
            }
        }
        ensureRoom(FRAME + RECORD_HEADER + stateWriter.maxLength());
        int offset = batchSize + FRAME + RECORD_HEADER;
        int length = stateWriter.write(batch, offset);
        commit(STATE, nextPosition, length, Long.MIN_VALUE);
    }

    private void openSegment(long firstPosition) throws IOException {
        Path path = dir.resolve(String.format("%020d.journal", firstPosition));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER).order(LE);
            header.putInt(MAGIC).putInt(VERSION).putLong(firstPosition).flip();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        FileChannel previous = channel;
        Segment s = new Segment(path, firstPosition);
        s.size = SEGMENT_HEADER;
        synchronized (segments) {
            if (!segments.isEmpty() && segments.get(segments.size() - 1).path.equals(path)) {
                segments.remove(segments.size() - 1); // an empty segment of an earlier run, rewritten
            }
            segments.add(s);
        }
        channel = ch;
        current = s;
        pendingMaxEventTime = Long.MIN_VALUE;
        if (previous != null) {
            if (settings.fsync() != JournalSettings.Fsync.NONE) {
                previous.force(false);
            }
            previous.close();
        }
    }

    // ------------------------------------------------------------------ housekeeping

    private void forceQuietly() {
        FileChannel ch = channel;
        try {
            ch.force(false);
        } catch (IOException e) {
            // a channel closed by a roll in between, or a disk error the writer will report
        }
    }

    /**
     * Makes every write fail with {@code failure} until called with null, as a full disk would
     * (the writes are retried meanwhile). For tests of what a full disk does; never needed otherwise.
     */
    public void injectWriteFailure(IOException failure) {
        injectedFailure = failure;
    }

    /** Writes the sinks' checkpoint and deletes the segments no one needs now, as the housekeeping thread does every second. */
    public void housekeepNow() {
        housekeep();
    }

    private void housekeep() {
        try {
            writeCheckpoint();
            deleteUnneeded();
        } catch (Throwable t) {
            notices.notice(Notices.Level.ERROR, "journal: housekeeping failed: " + reason(t));
        }
    }

    /** Deletes the oldest segments whose records no window and no sink needs; the current one never. */
    void deleteUnneeded() throws IOException {
        long delivered = Long.MAX_VALUE;
        for (long p : needs.sinkPositions().values()) {
            delivered = Math.min(delivered, p);
        }
        long oldestNeeded = needs.oldestNeededEventTime();
        while (true) {
            Segment oldest;
            synchronized (segments) {
                if (segments.size() < 2) {
                    return;
                }
                oldest = segments.get(0);
                if (oldest == current || oldest.lastPosition > delivered || oldest.maxEventTime >= oldestNeeded) {
                    return;
                }
                segments.remove(0);
            }
            Files.deleteIfExists(oldest.path);
        }
    }

    /** Writes the sinks' positions when they changed since the last time. */
    void writeCheckpoint() throws IOException {
        sinkCheckpoint.write(needs.sinkPositions());
    }

    /** Writes what is buffered, forces it, records the sinks' positions and releases the directory. Writer thread (or after it stopped). */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (housekeeper != null) {
            housekeeper.shutdown();
            try {
                housekeeper.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (channel != null) {
                try {
                    flush();
                    channel.force(false);
                } finally {
                    channel.close();
                }
            }
            if (needs != null) {
                writeCheckpoint();
            }
        } catch (IOException | RuntimeException e) {
            notices.warn("journal: closing: " + reason(e));
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is letting go of the directory either way
        }
    }

    /** What went wrong, in words: the file system's exceptions carry only a path as their message. */
    private static String reason(Throwable e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "a file in the path is not a directory";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "an input/output error" : m;
    }
}
