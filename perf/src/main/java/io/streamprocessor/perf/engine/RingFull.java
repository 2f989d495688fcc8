package io.streamprocessor.perf.engine;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the producer does when its claim fails because the ring is full: spin, and every
 * {@value #YIELD_EVERY}th failed attempt yield the core. On a 2-core machine the stage threads
 * that would free the ring may be waiting for exactly the core the producer spins on, so pure
 * spinning would slow the pipeline it waits for. Counts the failed claims per iteration (JMH
 * prints them as {@code ringFull}), which shows whether back-pressure was in force: if it never
 * was, the score would be the producer's rate, not the pipeline's.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class RingFull {
    private static final int YIELD_EVERY = 64;

    /** Failed claims in this iteration. */
    public long ringFull;

    @Setup(Level.Iteration)
    public void reset() {
        ringFull = 0;
    }

    void onRingFull() {
        if ((++ringFull & (YIELD_EVERY - 1)) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
