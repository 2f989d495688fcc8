package io.streamprocessor.engine.pipeline;

/**
 * One step of the handler chain, independent of which thread runs it: the topology decides
 * whether a stage gets a Disruptor handler of its own or shares one with its neighbours.
 * Called for non-void slots only; batch callbacks bracket every batch.
 */
interface Stage {
    default void onBatchStart(long batchSize) {
    }

    void onEvent(Slot slot, long sequence);

    /** Called after the last event of every batch, also when that event was void. */
    default void onEndOfBatch() {
    }
}
