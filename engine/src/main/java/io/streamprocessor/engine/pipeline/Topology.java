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
    /** Every stage on one thread of its own: leaves the most cores to the I/O threads. */
    SINGLE,
    /**
     * No stage threads: the producer that publishes runs every stage itself (one at a time, by
     * Disruptor's {@link com.lmax.disruptor.EventPoller}), so an event never changes threads.
     * For machines with fewer cores than the I/O threads plus a stage thread would need.
     */
    INLINE;

    /** The default for a machine with {@code cores} available processors. */
    public static Topology forCores(int cores) {
        if (cores >= 8) {
            return PER_STAGE;
        }
        if (cores >= 4) {
            return FUSED;
        }
        return cores == 3 ? SINGLE : INLINE;
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
