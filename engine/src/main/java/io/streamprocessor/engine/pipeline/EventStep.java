package io.streamprocessor.engine.pipeline;

import io.streamprocessor.engine.event.MutableEvent;

/**
 * A transform that may also drop the event: it changes the event and returns {@code true} to keep
 * it, or {@code false} to drop it, counted as filtered. For pipelines that filter on what an
 * earlier transform derived; runs in the transform stage, in the order steps and transforms were
 * added. Should allocate nothing; one that throws rejects the event and is reported.
 */
@FunctionalInterface
public interface EventStep {
    boolean apply(MutableEvent event);
}
