package io.streamprocessor.engine.pipeline;

import java.util.Locale;

/**
 * How the stages are laid out on threads. Every handler thread wants a core, so the choice
 * follows the core count ({@link #forCores(int)}). Listed by the number of stage threads.
 */
public enum Topology {
    /**
     * No stage threads: the producer that publishes runs every stage itself (one at a time, by
     * Disruptor's {@link com.lmax.disruptor.EventPoller}), so an event never changes threads.
     * For a single core, where a stage thread could only take turns with the I/O thread.
     */
    INLINE,
    /** Every stage on one thread of its own: leaves the most cores to the I/O threads. */
    SINGLE,
    /** Two threads: validate+filter+transform+window, then sinks+completion. */
    FUSED,
    /**
     * One thread per stage: validate, filter, transform, then window and sinks side by side,
     * then completion (six threads). For machines with cores to spare.
     */
    PER_STAGE;

    /** The default for a machine with {@code cores} available processors. */
    public static Topology forCores(int cores) {
        if (cores >= 8) {
            return PER_STAGE;
        }
        if (cores >= 4) {
            return FUSED;
        }
        // Measured over HTTP on 2 cores (perf/RESULTS.md): one stage thread beside the I/O thread
        // beats running the stages on the I/O thread by 20-40%; with a single core it cannot.
        return cores >= 2 ? SINGLE : INLINE;
    }

    /** The name in the configuration: {@code inline}, {@code single}, {@code fused}, {@code per-stage}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Stage threads this topology starts. */
    public int threads() {
        return switch (this) {
            case PER_STAGE -> 6;
            case FUSED -> 2;
            case SINGLE -> 1;
            case INLINE -> 0;
        };
    }
}
