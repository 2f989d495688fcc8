package io.streamprocessor.engine.pipeline;

/**
 * Receives every error a stage, filter, transform or sink throws. Called on the stage thread
 * that saw it; must not block or throw.
 */
@FunctionalInterface
public interface ErrorHandler {
    void onError(String where, Throwable error);
}
