package io.streamprocessor.perf.engine;

/**
 * How long one cache line takes to travel from one core to another on this machine right now:
 * two threads pass a counter back and forth through a volatile field, and the time of one pass is
 * reported. The engine's stage thread gets every event from the producer this way, so any bench
 * with a stage thread depends on it.
 *
 * <p>Why a bench needs it: on the shared 2-core machine this project is measured on, this figure
 * moves between two states for minutes at a time: 50–80 ns (25 ns for a bare two-line spin) and
 * 210–230 ns, presumably the host moving the virtual cores. In the slow state a producer and a
 * stage thread run at about half their rate while a single thread does not notice
 * (perf/RESULTS.md, "Two machines in one"). Printed beside each result, it says which state the
 * result was measured in.
 *
 * <pre>
 *   java -cp perf/target/benchmarks.jar io.streamprocessor.perf.engine.CoreHandoff [passes]
 * </pre>
 */
public final class CoreHandoff {
    private static final long DEFAULT_PASSES = 1_000_000;
    /** The counter passed back and forth: one measurement at a time ({@link #measureNanos(long)} is synchronized). */
    private static volatile long ball;

    private CoreHandoff() {
    }

    /**
     * The mean time of one pass over {@code passes} passes (at least 2), in nanoseconds, after as
     * many passes again not counted (the JIT's warm-up).
     */
    public static synchronized double measureNanos(long passes) {
        run(passes);
        return run(passes);
    }

    private static double run(long passes) {
        ball = 0;
        long rounds = Math.max(1, passes / 2);
        Thread other = new Thread(() -> {
            for (long i = 1; i < 2 * rounds; i += 2) {
                await(i);
                ball = i + 1;
            }
        }, "core-handoff");
        other.setDaemon(true);
        other.start();
        long t0 = System.nanoTime();
        for (long i = 0; i < 2 * rounds; i += 2) {
            await(i);
            ball = i + 1;
        }
        long nanos = System.nanoTime() - t0;
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) nanos / (2 * rounds);
    }

    /**
     * Spins until the ball reads {@code value}. A plain spin, without a pause instruction, which
     * would add its own latency to what is measured; it yields now and then so that two threads
     * that share one core still finish.
     */
    private static void await(long value) {
        int spins = 0;
        while (ball != value) {
            if (++spins == 1 << 16) {
                spins = 0;
                Thread.yield();
            }
        }
    }

    /** The mean time of one pass over the default number of passes, in nanoseconds. */
    public static double measureNanos() {
        return measureNanos(DEFAULT_PASSES);
    }

    /** Prints the hand-off time, in nanoseconds, on stdout. */
    public static void main(String[] args) {
        long passes = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_PASSES;
        System.out.printf(java.util.Locale.ROOT, "core-to-core hand-off: %.0f ns%n", measureNanos(passes));
    }
}
