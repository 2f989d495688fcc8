package io.streamprocessor.perf.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.streamprocessor.perf.TempDirs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * How the journal should write: memory-mapped or positional writes. One thread appends groups of
 * {@value #GROUP} records (a Disruptor batch) of ~200 bytes, each framed as
 * {@code [int length][int CRC32C of the payload][payload]} with the payload copied from a
 * {@code byte[]} and its CRC32C ({@link CRC32C}) computed per record, into {@value #SEGMENT_MIB} MiB
 * segment files, rolling to a new file when the next record does not fit. A score is nanoseconds
 * per record ({@code @OperationsPerInvocation(GROUP)}); MB/s is the frame size (payload + 8)
 * divided by it.
 *
 * <ul>
 *   <li>{@code writer=mapped}: each segment is created at its full size ({@code setLength}, sparse)
 *       and mapped; each record is stored in place through Agrona's {@link UnsafeBuffer} over the
 *       mapping (no copy, no system call per group). Agrona 2 needs
 *       {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} on Java 17 for it, so the
 *       forks get that flag (the server does not have it: see ARCHITECTURE.md on the sinks' buffer).</li>
 *   <li>{@code writer=mappedBuffer}: the same through the {@link MappedByteBuffer}'s own absolute
 *       puts (bounds-checked), to see what {@code UnsafeBuffer} buys.</li>
 *   <li>{@code writer=channel}: records are gathered into one direct {@link ByteBuffer} and written
 *       with one positional {@link FileChannel#write(ByteBuffer, long)} per group; the file grows
 *       as it is written.</li>
 *   <li>{@code fsync=batch}: after each group, {@link MappedByteBuffer#force(int, int)} over the
 *       group's range, or {@link FileChannel#force(boolean) force(false)} (both an fdatasync of
 *       the data just written); {@code fsync=none}: no force (what survives a process crash but
 *       not power loss).</li>
 *   <li>{@code segments=new}: every segment a new file; {@code segments=recycled}: the oldest
 *       segment renamed and written over (blocks already allocated, pages already cached).</li>
 * </ul>
 * {@link FramingOnly} is the framing alone (CRC32C and copy, no file), the floor under all of them.
 *
 * <p>Segments go to a fresh directory under {@code /tmp} (the same ext4 disk as the repository on
 * this machine). To keep the disk from filling, only the newest {@value #KEEP} segments are kept:
 * rolling deletes (or recycles) the oldest, inside the timing, as retention would. With {@code fsync=none} the
 * deleted segments' dirty pages are dropped before the kernel writes them back, so those rows are
 * the cost of getting records into the page cache, not the disk's bandwidth; {@code fsync=batch}
 * puts every group on the disk. Everything is deleted in the trial's teardown.
 *
 * <p>Run: {@code java -jar perf/target/benchmarks.jar JournalAppendBenchmark -prof gc}; this
 * disk's own fsync latency: {@link FsyncProbe}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class JournalAppendBenchmark {
    static final int GROUP = 1000;
    static final int SEGMENT_MIB = 64;
    static final int SEGMENT = SEGMENT_MIB << 20;
    static final int KEEP = 2;
    static final int HEADER = 8;
    private static final int PAYLOADS = 256;
    private static final byte[] EMPTY = new byte[0];

    @Param({"mapped", "mappedBuffer", "channel"})
    public String writer;

    @Param({"none", "batch"})
    public String fsync;

    /**
     * {@code new}: each segment is a new file and the oldest beyond {@value #KEEP} is deleted;
     * {@code recycled}: the oldest is renamed and written over instead (its blocks are allocated
     * and, here, its pages still cached), as a journal that recycles segments would.
     */
    @Param({"new", "recycled"})
    public String segments;

    /** Payload size: each payload is this ± 10% (the mean frame is printed at the end of a trial). */
    @Param({"200"})
    public int payloadSize;

    private final CRC32C crc = new CRC32C();
    private byte[][] payloads;
    private Path dir;
    private boolean sync;
    private final ArrayDeque<Path> files = new ArrayDeque<>();
    private boolean recycle;
    private long segmentNumber;
    /** Next write position in the current segment. */
    private int position;
    private long records;
    private long bytes;
    private int next;

    // mapped / mappedBuffer
    private MappedByteBuffer map;
    /** Only for {@code writer=mapped}. */
    private UnsafeBuffer unsafe;
    /** Start of the records not yet forced in the current segment. */
    private int unforced;

    // channel
    private FileChannel channel;
    private ByteBuffer gather;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "journal-append-bench-");
        sync = fsync.equals("batch");
        recycle = segments.equals("recycled");
        if (!recycle && !segments.equals("new")) {
            throw new IllegalArgumentException("segments: new or recycled, not " + segments);
        }
        payloads = payloads(payloadSize);
        int maxFrame = 0;
        for (byte[] p : payloads) {
            maxFrame = Math.max(maxFrame, HEADER + p.length);
        }
        if (writer.equals("mapped")) {
            unsafe = new UnsafeBuffer(EMPTY);
        }
        if (writer.equals("channel")) {
            gather = ByteBuffer.allocateDirect(GROUP * maxFrame).order(ByteOrder.LITTLE_ENDIAN);
        } else if (!writer.equals("mapped") && !writer.equals("mappedBuffer")) {
            throw new IllegalArgumentException("writer: mapped, mappedBuffer or channel, not " + writer);
        }
        roll();
    }

    @Benchmark
    @OperationsPerInvocation(GROUP)
    public void appendGroup() throws IOException {
        switch (writer) {
            case "mapped" -> appendMapped();
            case "mappedBuffer" -> appendMappedBuffer();
            default -> appendChannel();
        }
    }

    private void appendMapped() throws IOException {
        for (int i = 0; i < GROUP; i++) {
            byte[] p = payloads[next++ & (PAYLOADS - 1)];
            int frame = HEADER + p.length;
            if (position + frame > SEGMENT) {
                roll();
            }
            crc.reset();
            crc.update(p, 0, p.length);
            unsafe.putInt(position, p.length);
            unsafe.putInt(position + 4, (int) crc.getValue());
            unsafe.putBytes(position + HEADER, p, 0, p.length);
            position += frame;
            bytes += frame;
        }
        records += GROUP;
        if (sync) {
            forceMapped();
        }
    }

    private void appendMappedBuffer() throws IOException {
        MappedByteBuffer m = map;
        for (int i = 0; i < GROUP; i++) {
            byte[] p = payloads[next++ & (PAYLOADS - 1)];
            int frame = HEADER + p.length;
            if (position + frame > SEGMENT) {
                roll();
                m = map;
            }
            crc.reset();
            crc.update(p, 0, p.length);
            m.putInt(position, p.length);
            m.putInt(position + 4, (int) crc.getValue());
            m.put(position + HEADER, p, 0, p.length);
            position += frame;
            bytes += frame;
        }
        records += GROUP;
        if (sync) {
            forceMapped();
        }
    }

    private void forceMapped() {
        if (position > unforced) {
            map.force(unforced, position - unforced);
            unforced = position;
        }
    }

    private void appendChannel() throws IOException {
        ByteBuffer g = gather;
        for (int i = 0; i < GROUP; i++) {
            byte[] p = payloads[next++ & (PAYLOADS - 1)];
            int frame = HEADER + p.length;
            if (position + g.position() + frame > SEGMENT) {
                writeGathered();
                roll();
            }
            crc.reset();
            crc.update(p, 0, p.length);
            g.putInt(p.length).putInt((int) crc.getValue()).put(p, 0, p.length);
            bytes += frame;
        }
        records += GROUP;
        writeGathered();
        if (sync) {
            channel.force(false);
        }
    }

    private void writeGathered() throws IOException {
        gather.flip();
        while (gather.hasRemaining()) {
            position += channel.write(gather, position);
        }
        gather.clear();
    }

    /**
     * Closes the current segment (forcing what is left of it under {@code fsync=batch}) and opens
     * the next: a new file, deleting the oldest beyond {@value #KEEP}, or the oldest renamed.
     */
    private void roll() throws IOException {
        closeSegment();
        Path file = dir.resolve(String.format(Locale.ROOT, "%020d.seg", segmentNumber++));
        if (recycle && files.size() >= KEEP) {
            Files.move(files.removeFirst(), file);
        }
        if (writer.equals("channel")) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } else {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(SEGMENT);
                map = f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, SEGMENT);
            }
            map.order(ByteOrder.LITTLE_ENDIAN);
            if (unsafe != null) {
                unsafe.wrap(map, 0, SEGMENT);
            }
        }
        position = 0;
        unforced = 0;
        files.addLast(file);
        while (files.size() > KEEP) {
            Files.delete(files.removeFirst());
        }
    }

    private void closeSegment() throws IOException {
        if (map != null) {
            if (sync) {
                forceMapped();
            }
            if (unsafe != null) {
                unsafe.wrap(EMPTY);
            }
            Unmap.unmap(map);
            map = null;
        }
        if (channel != null) {
            if (sync) {
                channel.force(false);
            }
            channel.close();
            channel = null;
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        closeSegment();
        long expected = 0;
        for (int i = 0; i < records; i++) {
            expected += HEADER + payloads[i & (PAYLOADS - 1)].length;
        }
        if (expected != bytes) {
            throw new IllegalStateException("appended " + bytes + " bytes, expected " + expected);
        }
        System.out.printf(Locale.ROOT, "%n%,d records, %,d bytes (%.1f bytes per frame), %d segments%n", records, bytes,
            (double) bytes / records, segmentNumber);
        TempDirs.deleteTree(dir);
    }

    /** {@value #PAYLOADS} event-like JSON payloads of {@code mean} ± 10% bytes. */
    static byte[][] payloads(int mean) {
        SplittableRandom random = new SplittableRandom(42);
        byte[][] out = new byte[PAYLOADS][];
        String[] types = {"page_view", "click", "purchase", "signup", "error", "api_call", "search", "logout"};
        for (int i = 0; i < PAYLOADS; i++) {
            int spread = Math.max(1, mean / 10);
            int size = mean + (i % 2 == 0 ? 1 : -1) * random.nextInt(spread);
            StringBuilder b = new StringBuilder(size + 64);
            b.append("{\"id\":\"evt-").append(Long.toHexString(random.nextLong())).append("\",\"type\":\"")
                .append(types[i & 7]).append("\",\"source\":\"web-").append(i & 63).append("\",\"timestamp\":")
                .append(1_764_000_000_000L + random.nextInt(1_000_000)).append(",\"data\":{\"value\":")
                .append(random.nextInt(100_000) / 100.0).append(",\"region\":\"eu-west-1\",\"note\":\"");
            while (b.length() < size - 3) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            b.append("\"}}");
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            out[i] = bytes.length == size ? bytes : java.util.Arrays.copyOf(bytes, size);
        }
        return out;
    }

    /**
     * The same framing with no file: CRC32C and copy of {@value #GROUP} records into a direct
     * buffer, which is then cleared. What the writers above add to it is the cost of the I/O.
     */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public static class FramingOnly {
        private final CRC32C crc = new CRC32C();
        private byte[][] payloads;
        private ByteBuffer gather;
        private int next;

        @Setup(Level.Trial)
        public void start() {
            payloads = payloads(200);
            gather = ByteBuffer.allocateDirect(GROUP * 256).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Benchmark
        @OperationsPerInvocation(GROUP)
        public int frameGroup() {
            ByteBuffer g = gather;
            g.clear();
            for (int i = 0; i < GROUP; i++) {
                byte[] p = payloads[next++ & (PAYLOADS - 1)];
                crc.reset();
                crc.update(p, 0, p.length);
                g.putInt(p.length).putInt((int) crc.getValue()).put(p, 0, p.length);
            }
            return g.position();
        }
    }
}
