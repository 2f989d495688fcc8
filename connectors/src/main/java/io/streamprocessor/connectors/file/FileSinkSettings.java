package io.streamprocessor.connectors.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the {@code file} sink writes. Immutable.
 *
 * @param path           the active file, plain NDJSON; its parent directory is created if absent
 * @param rotateSize     bytes after which the active file is rotated, or 0 for never
 * @param rotateInterval age after which the active file is rotated (at the first write past it), or 0 for never
 * @param gzip           whether rotated files are compressed to {@code .gz} (the active file never is)
 * @param fsync          whether each write is forced to the storage device before it counts as delivered
 */
public record FileSinkSettings(Path path, long rotateSize, Duration rotateInterval, boolean gzip, boolean fsync) {
    /** 128 MiB: a file a text tool still opens comfortably, and few enough files per day at full rate. */
    public static final long DEFAULT_ROTATE_SIZE = 128L << 20;
    /** One hour: one file per hour at low rates. */
    public static final Duration DEFAULT_ROTATE_INTERVAL = Duration.ofHours(1);

    public FileSinkSettings {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rotateInterval, "rotateInterval");
        if (path.getFileName() == null) {
            throw new IllegalArgumentException("path: " + path + " names no file");
        }
        if (rotateSize < 0) {
            throw new IllegalArgumentException("rotate-size must be 0 (never) or more, got " + rotateSize);
        }
        if (rotateInterval.isNegative()) {
            throw new IllegalArgumentException("rotate-interval must be 0 (never) or more, got " + rotateInterval);
        }
        if (path.getFileName().toString().endsWith(".gz")) {
            throw new IllegalArgumentException("path: " + path + " ends in .gz, but the active file is plain NDJSON "
                + "(so a torn last line can be cut); name it .ndjson and set gzip: true to compress rotated files");
        }
    }

    /** The defaults for a path: rotate at 128 MiB or after 1 h, no gzip, no fsync. */
    public static FileSinkSettings of(Path path) {
        return builder(path).build();
    }

    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /** Builds {@link FileSinkSettings}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private final Path path;
        private long rotateSize = DEFAULT_ROTATE_SIZE;
        private Duration rotateInterval = DEFAULT_ROTATE_INTERVAL;
        private boolean gzip;
        private boolean fsync;

        private Builder(Path path) {
            this.path = path;
        }

        /** Bytes after which the active file is rotated; 0: never by size. */
        public Builder rotateSize(long bytes) {
            this.rotateSize = bytes;
            return this;
        }

        /** Age after which the active file is rotated; {@link Duration#ZERO}: never by time. */
        public Builder rotateInterval(Duration interval) {
            this.rotateInterval = interval;
            return this;
        }

        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        public FileSinkSettings build() {
            return new FileSinkSettings(path, rotateSize, rotateInterval, gzip, fsync);
        }
    }
}
