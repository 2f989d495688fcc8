package io.streamprocessor.engine.pipeline;

/**
 * How the stages are laid out on threads. Every handler thread wants a core, so the choice
 * follows the core count ({@link #forCores(int)}).
 */
public enum Topology {
    /**
     * One thread per stage: validate, filter, transform, then window and sinks side by side,
     * then completion (six threads). For machines with cores to spare.
     */
    PER_STAGE,
    /** Two threads: validate+filter+transform+window, then sinks+completion. */
    FUSED,
    /** Every stage on one thread: leaves the most cores to the I/O threads. */
    SINGLE;

    /** The default for a machine with {@code cores} available processors. */
    public static Topology forCores(int cores) {
        if (cores >= 8) {
            return PER_STAGE;
        }
        return cores >= 4 ? FUSED : SINGLE;
    }
}
