package io.streamprocessor.perf.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A wall clock that runs {@code warp} times faster than real time from the moment it is made, so
 * a benchmark of a few tens of seconds sees as many slide intervals as a run of minutes: panes
 * open, windows get evicted and the pane ring wraps round and reuses its panes. {@link #millis()}
 * allocates nothing; it is read by the producer and, per batch, by the processor's stages.
 */
final class WarpedClock extends Clock {
    private final long origin;
    private final long warp;

    WarpedClock(long warp) {
        this.origin = System.currentTimeMillis();
        this.warp = warp;
    }

    @Override
    public long millis() {
        return origin + (System.currentTimeMillis() - origin) * warp;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("benchmark clock is UTC only");
    }
}
