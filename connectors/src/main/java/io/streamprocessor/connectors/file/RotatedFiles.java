package io.streamprocessor.connectors.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The names of the files an active file is rotated into, and their compression.
 *
 * <p>{@code out/events.ndjson} is rotated into {@code out/events-20261202T031500Z.ndjson} (UTC, the
 * time of the rotation, so the names sort in the order of their contents; {@code _001},
 * {@code _002}… after the time when a name is taken within the same second), and with gzip on, into
 * {@code out/events-20261202T031500Z.ndjson.gz}. Compression runs on a thread of its own, so a
 * rotation costs the sink only a rename: a 128 MiB file takes seconds to compress, long enough
 * for the sink's buffer to fill at full rate. The compressed file is written as {@code .gz.tmp},
 * renamed to {@code .gz} once complete, and only then is the plain file removed: a crash at any
 * point leaves the events in a plain file, which {@link #recover()} compresses at the next start.
 *
 * <p>Threads: {@link #nextName} and {@link #recover} from the sink's thread; compression on this
 * object's own daemon thread, which exits when idle.
 */
final class RotatedFiles {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.connectors");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);
    private static final String GZ = ".gz";
    private static final String TMP = ".gz.tmp";

    private final String sinkName;
    private final Path dir;
    private final String stem;
    private final String ext;
    private final boolean fsync;
    private final Pattern rotated;
    private final ThreadPoolExecutor compressor;

    RotatedFiles(String sinkName, Path active, boolean fsync) {
        this.sinkName = sinkName;
        Path parent = active.getParent();
        this.dir = parent != null ? parent : Path.of("");
        String name = active.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.stem = dot > 0 ? name.substring(0, dot) : name;
        this.ext = dot > 0 ? name.substring(dot) : "";
        this.fsync = fsync;
        this.rotated = Pattern.compile(Pattern.quote(stem) + "-\\d{8}T\\d{6}Z(_\\d{3,})?" + Pattern.quote(ext));
        this.compressor = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sp-sink-" + sinkName + "-gzip");
            t.setDaemon(true);
            return t;
        });
    }

    /** A free name for the active file rotated at {@code at}: taken by no file, compressed or not. */
    Path nextName(Instant at) {
        String base = stem + "-" + STAMP.format(at);
        for (int n = 0; ; n++) {
            // '_' sorts after '.', so a name with a counter sorts after the one without
            Path candidate = dir.resolve(n == 0 ? base + ext : base + String.format(Locale.ROOT, "_%03d", n) + ext);
            if (!Files.exists(candidate) && !Files.exists(sibling(candidate, GZ)) && !Files.exists(sibling(candidate, TMP))) {
                return candidate;
            }
        }
    }

    /** Whether {@code name} is a rotated file of this sink, uncompressed. */
    boolean isRotated(String name) {
        return rotated.matcher(name).matches();
    }

    /** Compresses a rotated file on the compression thread; the plain file is removed once the {@code .gz} is complete. */
    void compressLater(Path plain) {
        compressor.execute(() -> compress(plain));
    }

    /**
     * After a crash or a failed compression: removes partial {@code .gz.tmp} files, removes a plain
     * file whose {@code .gz} is complete, and compresses every other rotated plain file, oldest first.
     */
    void recover() throws IOException {
        List<Path> plain = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(TMP) && isRotated(name.substring(0, name.length() - TMP.length()))) {
                    Files.deleteIfExists(p);
                } else if (isRotated(name)) {
                    plain.add(p);
                }
            }
        }
        plain.sort(null);
        for (Path p : plain) {
            if (Files.exists(sibling(p, GZ))) {
                Files.deleteIfExists(p); // compressed completely; only the removal was interrupted
            } else {
                compressLater(p);
            }
        }
    }

    private void compress(Path plain) {
        Path tmp = sibling(plain, TMP);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING);
                 InputStream in = Files.newInputStream(plain)) {
                GZIPOutputStream gz = new GZIPOutputStream(Channels.newOutputStream(out), 64 * 1024);
                in.transferTo(gz);
                gz.finish();
                gz.flush();
                if (fsync) {
                    out.force(true);
                }
            }
            Files.move(tmp, sibling(plain, GZ), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(plain);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the directory is gone; recover() removes it at the next start
            }
            LOG.warn("stream-processor: sink {}: could not compress {} ({}); it stays uncompressed and is compressed "
                + "at the next start", sinkName, plain, FileProblem.reason(e));
        }
    }

    private static Path sibling(Path p, String suffix) {
        return p.resolveSibling(p.getFileName() + suffix);
    }
}
