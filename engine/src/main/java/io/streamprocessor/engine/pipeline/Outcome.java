package io.streamprocessor.engine.pipeline;

/** What the pipeline did with one event; reported back to whoever ingested it. */
enum Outcome {
    /** Not yet decided: the event is still travelling through the stages. */
    PENDING,
    /** Passed the filters and was aggregated and sent to the sinks. */
    PROCESSED,
    /** Dropped by a filter; not aggregated, not sent to sinks. */
    FILTERED,
    /** Broke a rule of the event schema; see {@link Rejection}. */
    REJECTED,
    /** Passed the filters and went to the sinks, but fell only in evicted windows so was not aggregated. */
    LATE
}
