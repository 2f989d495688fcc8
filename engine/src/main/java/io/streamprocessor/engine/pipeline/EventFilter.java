package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.EventView;

/**
 * Keeps ({@code true}) or drops ({@code false}) an event. Runs on a stage thread for every
 * valid event, so it should be cheap and allocate nothing. A filter that throws drops the
 * event as rejected and is reported to the processor's error handler.
 */
@FunctionalInterface
public interface EventFilter {
    boolean test(EventView event);
}
