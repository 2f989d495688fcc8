package io.streamprocessor.perf.journal;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.streamprocessor.perf.BenchArgs.loadAverage;
import static io.streamprocessor.perf.BenchArgs.value;

/**
 * This disk's own fsync latency, the floor under the journal's {@code fsync=batch}: a loop that
 * writes 4 KiB and forces it, timed per iteration, in three ways:
 * <ul>
 *   <li>{@code overwrite}: {@code pwrite} of the same 4 KiB block of an already written and synced
 *       file, then {@code force(false)} (fdatasync): data only, no metadata to commit;</li>
 *   <li>{@code append}: {@code pwrite} at the end of a growing file, then {@code force(false)}: the
 *       data plus the file's new size and block allocation (an ext4 journal commit);</li>
 *   <li>{@code mapped}: 4 KiB stored into successive pages of a sparse (setLength) 64 MiB mapping,
 *       then {@code MappedByteBuffer.force(index, 4096)} (msync): what a mapped journal pays per
 *       group when a group fits in a page.</li>
 * </ul>
 * Prints p50, p90, p99, p99.9 and max in microseconds for each, after a warm-up.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar io.streamprocessor.perf.journal.FsyncProbe
 * [--dir /tmp] [--count 3000] [--warmup 300] [--rounds 2]}.
 */
public final class FsyncProbe {
    private static final int BLOCK = 4096;
    private static final int SEGMENT = 64 << 20;

    private FsyncProbe() {
    }

    public static void main(String[] args) throws IOException {
        List<String> a = Arrays.asList(args);
        Path parent = Path.of(value(a, "--dir", "/tmp"));
        int count = Integer.parseInt(value(a, "--count", "3000"));
        int warmup = Integer.parseInt(value(a, "--warmup", "300"));
        int rounds = Integer.parseInt(value(a, "--rounds", "2"));
        Path dir = Files.createTempDirectory(parent, "fsync-probe-");
        System.out.printf(Locale.ROOT, "fsync probe in %s: %d timed writes of %d bytes + force per mode and round, after %d untimed%n",
            dir, count, BLOCK, warmup);
        System.out.println("load average before: " + loadAverage());
        try {
            for (int r = 1; r <= rounds; r++) {
                for (String mode : List.of("overwrite", "append", "mapped")) {
                    Histogram h = measure(mode, dir, warmup, count);
                    System.out.printf(Locale.ROOT, "round %d %-9s p50 %7.0f  p90 %7.0f  p99 %7.0f  p99.9 %7.0f  max %7.0f µs  (mean %.0f µs)%n",
                        r, mode, us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                        us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), h.getMean() / 1e3);
                }
            }
            System.out.println("load average after: " + loadAverage());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * Times {@code count} writes of 4 KiB and a force, after {@code warmup} untimed, in a new file
     * in {@code dir} (deleted after); {@code mode} is overwrite, append or mapped. Nanoseconds.
     */
    static Histogram measure(String mode, Path dir, int warmup, int count) throws IOException {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        Path file = Files.createTempFile(dir, "fsync-probe-" + mode + "-", ".tmp");
        Files.delete(file);
        try {
            switch (mode) {
                case "overwrite" -> overwrite(file, warmup, count, h);
                case "append" -> append(file, warmup, count, h);
                case "mapped" -> mapped(file, warmup, count, h);
                default -> throw new IllegalArgumentException("mode: overwrite, append or mapped, not " + mode);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return h;
    }

    private static void overwrite(Path file, int warmup, int count, Histogram h) throws IOException {
        ByteBuffer block = block();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, block, 0);
            ch.force(true);
            for (int i = 0; i < warmup + count; i++) {
                block.putLong(0, i);
                long t = System.nanoTime();
                write(ch, block, 0);
                ch.force(false);
                record(h, i >= warmup, t);
            }
        }
    }

    private static void append(Path file, int warmup, int count, Histogram h) throws IOException {
        ByteBuffer block = block();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            for (int i = 0; i < warmup + count; i++) {
                block.putLong(0, i);
                long t = System.nanoTime();
                write(ch, block, position);
                ch.force(false);
                record(h, i >= warmup, t);
                position += BLOCK;
            }
        }
    }

    private static void mapped(Path file, int warmup, int count, Histogram h) throws IOException {
        byte[] data = new byte[BLOCK];
        Arrays.fill(data, (byte) 'x');
        MappedByteBuffer map;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(SEGMENT);
            map = f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, SEGMENT);
        }
        try {
            for (int i = 0; i < warmup + count; i++) {
                int index = (int) ((long) i * BLOCK % SEGMENT);
                long t = System.nanoTime();
                map.put(index, data, 0, BLOCK);
                map.putLong(index, i);
                map.force(index, BLOCK);
                record(h, i >= warmup, t);
            }
        } finally {
            Unmap.unmap(map);
        }
    }

    private static ByteBuffer block() {
        ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
        while (b.hasRemaining()) {
            b.put((byte) 'x');
        }
        return b.flip();
    }

    private static void write(FileChannel ch, ByteBuffer block, long position) throws IOException {
        block.clear();
        while (block.hasRemaining()) {
            position += ch.write(block, position);
        }
    }

    private static void record(Histogram h, boolean timed, long start) {
        long elapsed = System.nanoTime() - start;
        if (timed) {
            h.recordValue(elapsed);
        }
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }

}
