package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.pipeline.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 12's peer workload, interleaved in one JVM: for each W/S of 1, 6 and 60 (60 s windows
 * sliding by 60, 10, 1 s), the plain loop ({@link PeerLoop}) and then the engine in every
 * {@link Topology}, each warmed up (runs of the warm-up size, repeated for at least the warm-up
 * seconds) and then measured once, each measured engine run checked
 * against the measured loop run of the same W/S ({@link PeerCheck}); a difference exits 1.
 * Prints one table row per run on stdout: events/s (N over the wall time of ingestion plus the
 * final query), bytes allocated per event by all of the JVM's threads, the ratio to the loop, the
 * bytes per event the producer thread alone allocated, the CPU time per event of all threads, and
 * that of all threads but the producer (the engine's stage threads; the producer's own CPU time
 * includes its yielding while the ring is full), and the core-to-core hand-off time measured just
 * before the run ({@link CoreHandoff}), which says which of the machine's two states it ran in.
 *
 * <pre>
 *   java -cp perf/target/benchmarks.jar io.streamprocessor.perf.engine.PeerBench \
 *       [--events 5000000] [--loop-events 5000000] [--loop-events-60 1000000] [--warmup-events 1000000] [--warmup-seconds 5] [--ring-size 16384]
 * </pre>
 */
public final class PeerBench {
    private static final long SIZE = 60_000;
    private static final long[] SLIDES = {60_000, 10_000, 1_000};

    private PeerBench() {
    }

    /** Runs the bench; see the class comment for the options. */
    public static void main(String[] args) {
        long events = 5_000_000;
        long loopEvents = 5_000_000;
        long loopEvents60 = 1_000_000;
        long warmup = 1_000_000;
        long warmupSeconds = 5;
        long ringSize = PeerEngineRun.DEFAULT_RING;
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length) {
                usage("option " + args[a] + " needs a value");
            }
            long v = parse(args[a], args[a + 1]);
            switch (args[a]) {
                case "--events" -> events = v;
                case "--loop-events" -> loopEvents = v;
                case "--loop-events-60" -> loopEvents60 = v;
                case "--warmup-events" -> warmup = v;
                case "--warmup-seconds" -> warmupSeconds = v;
                case "--ring-size" -> ringSize = v;
                default -> usage("unknown option " + args[a]);
            }
        }
        if (Long.bitCount(ringSize) != 1 || ringSize > 1 << 30) {
            usage("--ring-size must be a power of two, got " + ringSize);
        }
        int ring = (int) ringSize;
        Topology byDefault = Topology.forCores(Runtime.getRuntime().availableProcessors());
        System.err.println("peer bench: " + Runtime.getRuntime().availableProcessors() + " cores, default topology "
            + byDefault + ", batches of " + PeerIngest.BATCH + ", a ring of " + ring + " slots, warm-up runs of " + warmup
            + " events for at least " + warmupSeconds + " s per configuration");
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "| %4s | %-24s | %10s | %7s | %12s | %10s | %13s | %16s | %12s | %15s | %11s |",
            "W/S", "run", "N", "windows", "events/s", "B/event", "engine/loop", "producer B/event", "CPU ns/event",
            "stages CPU ns/e", "hand-off ns"));
        rows.add("|-----:|:-------------------------|-----------:|--------:|-------------:|-----------:|--------------:|-----------------:|-------------:|----------------:|------------:|");
        System.out.println(rows.get(0));
        System.out.println(rows.get(1));
        for (long slide : SLIDES) {
            int ws = (int) (SIZE / slide);
            long n = ws == 60 ? loopEvents60 : loopEvents;
            long warmupEvents = Math.min(warmup, n);
            warmUp(warmupSeconds, () -> new PeerLoop(SIZE, slide).run(warmupEvents).windows());
            ThreadCost cost = ThreadCost.start();
            long t0 = System.nanoTime();
            PeerLoop loop = new PeerLoop(SIZE, slide).run(n);
            int windows = loop.windows().size();
            long nanos = System.nanoTime() - t0;
            long bytes = cost.bytes();
            long cpu = cost.cpuNanos();
            double loopRate = n * 1e9 / nanos;
            print(ws, "plain loop", n, windows, loopRate, (double) bytes / n, "", "", (double) cpu / n, "", "");
            // the engine's windows are checked against the loop's over the same events
            PeerLoop reference = n == events ? loop : new PeerLoop(SIZE, slide).run(events);
            long engineWarmup = Math.min(warmup, events);
            for (Topology t : Topology.values()) {
                warmUp(warmupSeconds, () -> PeerEngineRun.run(t, slide, engineWarmup, ring));
                double handoff = CoreHandoff.measureNanos();
                PeerEngineRun.Result r = PeerEngineRun.run(t, slide, events, ring);
                String difference = PeerCheck.difference(r.windows(), reference);
                if (difference != null) {
                    System.err.println("peer bench: " + t + " at W/S " + ws + " differs from the loop: " + difference);
                    System.exit(1);
                }
                double rate = events * 1e9 / r.nanos();
                print(ws, "engine " + t + (t == byDefault ? " (default)" : ""), events, r.windows().size(), rate,
                    (double) r.allocatedBytes() / events, String.format(Locale.ROOT, "%.2fx", rate / loopRate),
                    String.format(Locale.ROOT, "%,.1f", (double) r.producerBytes() / events),
                    (double) r.cpuNanos() / events,
                    String.format(Locale.ROOT, "%,.0f", (double) (r.cpuNanos() - r.producerCpuNanos()) / events),
                    String.format(Locale.ROOT, "%.0f", handoff));
            }
        }
        System.err.println("peer bench: every engine run gave the loop's windows");
    }

    private static void print(int ws, String run, long n, int windows, double rate, double bytesPerEvent, String ratio,
                              String producer, double cpuPerEvent, String stagesCpu, String handoff) {
        System.out.println(String.format(Locale.ROOT, "| %4d | %-24s | %,10d | %7d | %,12.0f | %,10.1f | %13s | %16s | %12.0f | %15s | %11s |",
            ws, run, n, windows, rate, bytesPerEvent, ratio, producer, cpuPerEvent, stagesCpu, handoff));
    }

    /** Runs {@code run} again and again until {@code seconds} have passed (at least once): the JIT's warm-up. */
    private static void warmUp(long seconds, Runnable run) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        do {
            run.run();
        } while (System.nanoTime() < deadline);
    }

    private static long parse(String option, String value) {
        try {
            long v = Long.parseLong(value.replace("_", ""));
            if (v <= 0) {
                usage(option + " must be a positive whole number, got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            usage(option + " must be a positive whole number, got " + value);
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println("peer bench: " + problem);
        System.err.println("usage: PeerBench [--events N] [--loop-events N] [--loop-events-60 N] [--warmup-events N] [--warmup-seconds S] [--ring-size N]");
        System.exit(2);
    }
}
