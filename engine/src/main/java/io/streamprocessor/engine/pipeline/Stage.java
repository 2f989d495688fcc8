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

    /**
     * True for the stages that decide an event's verdict (validate, filter, transform): an error in
     * one of them rejects the event. The stages after them never change the verdict, since the sink
     * stage may already be reading it beside the window stage.
     */
    default boolean decidesVerdict() {
        return false;
    }

    /** Called after the last event of every batch, also when that event was void. */
    default void onEndOfBatch() {
    }
}
