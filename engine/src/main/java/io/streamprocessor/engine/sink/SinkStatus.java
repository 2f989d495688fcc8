package io.streamprocessor.engine.sink;

/**
 * What one sink has done with the events it was given, at the time of asking. Immutable.
 * Every event a sink accepted is, at any moment, in exactly one of {@code written},
 * {@code dropped} or {@code buffered}: nothing is lost without a counter saying so.
 *
 * @param written     events delivered to the target (for a sink that writes in its callback: handed over without error)
 * @param failed      failed attempts to deliver (each retried, so a failure loses nothing by itself)
 * @param dropped     events given up: refused by a full buffer under the {@code drop} policy, or still
 *                    undelivered when shutdown ran out of time
 * @param buffered    events accepted and not yet delivered
 * @param lastError   the last failure, in words (kept after the sink recovers), or null
 * @param lastErrorAt server epoch ms of {@code lastError}, 0 when none
 * @param failing     true while the target is failing: the last attempt failed and none succeeded since
 */
public record SinkStatus(long written, long failed, long dropped, long buffered, String lastError, long lastErrorAt,
                         boolean failing) {
}
