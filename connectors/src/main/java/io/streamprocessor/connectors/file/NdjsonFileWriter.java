package io.streamprocessor.connectors.file;

import io.streamprocessor.connectors.EventBatch;
import io.streamprocessor.connectors.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;

/**
 * Appends batches of events to a file as NDJSON, one line per event, and rotates it by size and by
 * time. Called by its {@code BufferedSink} from the sink's own thread only.
 *
 * <p>A batch is one buffer and, as a rule, one {@code write} system call; it counts as delivered
 * once the bytes are in the file (the operating system's page cache: they survive the process
 * dying, not the machine losing power), or, with {@code fsync}, once they are on the device.
 *
 * <p>Never a torn or repeated line: the writer knows where the last whole batch ended. A write that
 * fails part-way marks the file, and the next {@link #open} (the buffered sink reopens after every
 * failure, then writes the same batch again) cuts the file back to that point first. A file left
 * by a crash in the middle of a write ends without a newline: opening it cuts that torn tail, and
 * says so on standard error.
 *
 * <p>Before each batch the writer checks that the path still names the file it holds open: a file
 * moved or deleted under it (by hand, or by an outside log rotation) would otherwise swallow every
 * later event unseen. It then starts a new file at the path; if it cannot (the directory is gone or
 * unwritable), the write fails and the buffered sink retries it.
 */
final class NdjsonFileWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.connectors");
    /** Opens the active file for reading and writing, creating it; a seam for a disk that fills up in tests. */
    interface Opener {
        FileChannel open(Path path) throws IOException;
    }

    static final Opener DEFAULT_OPENER = path -> FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.CREATE);
    private static final int TAIL_CHUNK = 8 * 1024;

    private final String sinkName;
    private final FileSinkSettings settings;
    private final Path path;
    private final Clock clock;
    private final Opener opener;
    private final RotatedFiles rotated;
    private final long rotateIntervalMillis;

    private FileChannel channel;
    /** The identity (device and inode) of the active file, or null before the first open and after a rotation. */
    private Object fileKey;
    /** Bytes of whole lines in the active file: where the next batch starts. */
    private long size;
    /** Clock millis when the active file was started, or first opened by this writer. */
    private long startedAt;
    /** A write into {@link #fileKey} failed part-way: bytes past {@link #size} are not whole lines of ours. */
    private boolean torn;
    private boolean recovered;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

    NdjsonFileWriter(String sinkName, FileSinkSettings settings, Clock clock, Opener opener) {
        this.sinkName = sinkName;
        this.settings = settings;
        this.path = settings.path();
        this.clock = clock;
        this.opener = opener;
        this.rotated = new RotatedFiles(sinkName, path, settings.fsync());
        this.rotateIntervalMillis = settings.rotateInterval().toMillis();
    }

    @Override
    public String target() {
        return "file " + path;
    }

    @Override
    public void open() throws IOException {
        if (channel != null) {
            return;
        }
        Path dir = path.getParent();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw FileProblem.of("cannot create the directory of file " + path, e);
            }
        }
        if (!recovered && settings.gzip()) {
            try {
                rotated.recover();
            } catch (IOException e) {
                throw FileProblem.of("cannot list the rotated files of " + path, e);
            }
        }
        recovered = true;
        openActive();
    }

    private void openActive() throws IOException {
        FileChannel ch;
        try {
            ch = opener.open(path);
        } catch (IOException e) {
            throw FileProblem.of("cannot open file " + path, e);
        }
        try {
            lock(ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            long length = ch.size();
            long keep = length;
            if (torn && key != null && key.equals(fileKey) && length > size) {
                keep = size;
                ch.truncate(keep);
                LOG.warn("stream-processor: sink {}: removed {} bytes of a batch that failed part-way from {}; "
                    + "writing the batch again", sinkName, length - keep, path);
            }
            long whole = wholeLines(ch, keep);
            if (whole < keep) {
                ch.truncate(whole);
                LOG.warn("stream-processor: sink {}: cut a torn last line of {} bytes from {} (an earlier write was "
                    + "interrupted)", sinkName, keep - whole, path);
            }
            if (key == null || !key.equals(fileKey)) {
                startedAt = clock.millis();
                if (settings.fsync()) {
                    forceDirectory(); // a new file, or a rename: its name is durable only once its directory is
                }
            }
            ch.position(whole);
            fileKey = key;
            size = whole;
            torn = false;
            channel = ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw FileProblem.of("cannot open file " + path, e);
        }
    }

    /** Takes the file for this writer alone: two writers on one file would cut each other's lines as torn. */
    private void lock(FileChannel ch) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new IOException("file " + path + " is being written by another sink or process; "
                + "each file sink needs a file of its own");
        }
        // released when the channel closes
    }

    private void forceDirectory() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** The length of the file up to and including its last newline: what a crash mid-write leaves whole. */
    private static long wholeLines(FileChannel ch, long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(TAIL_CHUNK);
        long end = length;
        while (end > 0) {
            int n = (int) Math.min(TAIL_CHUNK, end);
            b.clear().limit(n);
            long from = end - n;
            while (b.hasRemaining()) {
                if (ch.read(b, from + b.position()) < 0) {
                    throw new IOException("file shrank while being read");
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    @Override
    public void write(EventBatch batch) throws IOException {
        if (channel == null) {
            open();
        }
        holdTheFileAtThePath();
        int bytes = batch.bytes() + batch.size();
        if (rotationDue(bytes)) {
            rotate();
        }
        ByteBuffer b = fill(batch, bytes);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            if (settings.fsync()) {
                channel.force(false);
            }
        } catch (IOException e) {
            torn = true;
            throw FileProblem.of("cannot write to file " + path, e);
        }
        size += bytes;
    }

    /** If the active file was moved or deleted since it was opened, starts a new one at the path. */
    private void holdTheFileAtThePath() throws IOException {
        Object now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            now = null; // gone, or its directory is: open() says why
        }
        if (now == null || !now.equals(fileKey)) {
            closeChannel();
            torn = false; // whatever a failed write left is in the file that was moved away
            open(); // the directory too may be gone
        }
    }

    private boolean rotationDue(int bytes) {
        if (size == 0) {
            return false;
        }
        return settings.rotateSize() > 0 && size + bytes > settings.rotateSize()
            || rotateIntervalMillis > 0 && clock.millis() - startedAt >= rotateIntervalMillis;
    }

    /** Renames the active file to its rotated name, hands it to compression, and starts a new one. */
    private void rotate() throws IOException {
        if (settings.fsync()) {
            channel.force(true);
        }
        closeChannel();
        Path target = rotated.nextName(clock.instant());
        try {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileProblem.of("cannot rotate file " + path + " to " + target.getFileName(), e);
        }
        fileKey = null;
        if (settings.gzip()) {
            rotated.compressLater(target);
        }
        openActive();
    }

    /** The batch's lines, each with its newline, in one direct buffer (what the channel writes from without a copy). */
    private ByteBuffer fill(EventBatch batch, int bytes) {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, Math.min(Integer.MAX_VALUE / 2, buffer.capacity()) * 2));
        }
        ByteBuffer b = buffer.clear();
        byte[] lines = batch.array();
        for (int i = 0; i < batch.size(); i++) {
            b.put(lines, batch.lineStart(i), batch.lineLength(i)).put((byte) '\n');
        }
        return b.flip();
    }

    @Override
    public void close() {
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            closeQuietly(channel); // releases the lock with it
            channel = null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing written is pending in a FileChannel; the file is gone or its device failed
        }
    }
}
