package io.streamprocessor.engine.journal;

import java.nio.file.Path;

/** One segment file as the journal knows it; the volatile fields are read by the housekeeping thread. */
final class Segment {
    final Path path;
    final long firstPosition;
    /** Written bytes. */
    volatile long size;
    volatile long lastPosition;
    volatile long maxEventTime = Long.MIN_VALUE;

    Segment(Path path, long firstPosition) {
        this.path = path;
        this.firstPosition = firstPosition;
        this.lastPosition = firstPosition - 1;
    }
}
