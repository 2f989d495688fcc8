package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.MutableEvent;

/**
 * Changes an event that passed the filters: sets, derives, renames or removes members of its
 * {@code data}. Transforms run in the order they were added, each seeing the previous one's
 * changes. Runs on a stage thread for every event; should allocate nothing.
 */
@FunctionalInterface
public interface EventTransform {
    void apply(MutableEvent event);
}
