package io.streamprocessor.engine.sink;

import io.streamprocessor.engine.event.EventView;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what reaches the sinks, per event and per value, for monitoring: a sink with no
 * outside system, and the cheapest way to see the sink stage run. Counters are readable from
 * any thread.
 */
public final class MetricsSink implements Sink {
    private final String name;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong withValue = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private long pendingEvents;
    private long pendingValues;

    public MetricsSink() {
        this("metrics");
    }

    public MetricsSink(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void onEvent(EventView event) {
        pendingEvents++;
        if (event.hasValue()) {
            pendingValues++;
        }
    }

    @Override
    public void onEndOfBatch() {
        events.addAndGet(pendingEvents);
        withValue.addAndGet(pendingValues);
        batches.incrementAndGet();
        pendingEvents = 0;
        pendingValues = 0;
    }

    /** Events delivered to this sink, as of the last batch end. */
    public long events() {
        return events.get();
    }

    public long eventsWithValue() {
        return withValue.get();
    }

    public long batches() {
        return batches.get();
    }
}
