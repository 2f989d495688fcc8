package io.streamprocessor.engine.journal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the journal writes.
 *
 * @param dir                 the directory of segment files, created when absent
 * @param fsync               when appended records are forced to the disk
 * @param fsyncIntervalMillis how often {@link Fsync#INTERVAL} forces them
 * @param segmentBytes        a segment is closed and a new one started once it passes this size
 * @param onCorruption        what start-up does with a damaged record that is not the last
 */
public record JournalSettings(Path dir, Fsync fsync, long fsyncIntervalMillis, long segmentBytes,
                              OnCorruption onCorruption) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final long DEFAULT_FSYNC_INTERVAL_MILLIS = 1000;

    public JournalSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(onCorruption, "onCorruption");
        if (fsyncIntervalMillis < 1) {
            throw new IllegalArgumentException("journal fsync interval must be at least 1 ms, not " + fsyncIntervalMillis);
        }
        if (segmentBytes < (1 << 20)) {
            throw new IllegalArgumentException("journal segments must be at least 1 MiB, not " + segmentBytes + " bytes");
        }
    }

    /** The defaults in {@code dir}: no fsync, 64 MiB segments, a damaged record stops start-up. */
    public static JournalSettings in(Path dir) {
        return new JournalSettings(dir, Fsync.NONE, DEFAULT_FSYNC_INTERVAL_MILLIS, DEFAULT_SEGMENT_BYTES, OnCorruption.STOP);
    }

    public JournalSettings withFsync(Fsync f) {
        return new JournalSettings(dir, f, fsyncIntervalMillis, segmentBytes, onCorruption);
    }

    public JournalSettings withFsyncIntervalMillis(long millis) {
        return new JournalSettings(dir, fsync, millis, segmentBytes, onCorruption);
    }

    public JournalSettings withSegmentBytes(long bytes) {
        return new JournalSettings(dir, fsync, fsyncIntervalMillis, bytes, onCorruption);
    }

    public JournalSettings withOnCorruption(OnCorruption c) {
        return new JournalSettings(dir, fsync, fsyncIntervalMillis, segmentBytes, c);
    }

    /** When appended records reach the disk, as against the operating system's cache. */
    public enum Fsync {
        /** Never forced: a record survives the process crashing as soon as it is written, not a power loss. */
        NONE,
        /** Forced at the end of every ring batch, before its events are acknowledged: survives power loss. */
        BATCH,
        /** Forced every {@code fsyncIntervalMillis} by a background thread: a power loss loses at most that much. */
        INTERVAL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What start-up does when a record that is not the journal's last fails its checksum. */
    public enum OnCorruption {
        /** Refuse to start, saying where the damage is and how to repair. */
        STOP,
        /**
         * Keep every record before the damage, move the rest of the journal aside into
         * {@code .damaged} files and start: the events after the damage are lost, and said so.
         */
        TRUNCATE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
