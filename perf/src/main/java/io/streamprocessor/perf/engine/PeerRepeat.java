package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.pipeline.Ingestor;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;

import java.time.Duration;
import java.util.Arrays;

/**
 * One configuration of the peer workload run again and again in one JVM, as {@link PeerEngineRun}
 * runs it (journal off, {@link PeerIngest}'s producer, one query of all windows at the end), for comparing two
 * builds of the engine: it prints every run's rate (ingestion and query), the query's own time
 * and the CPU time per event, then the median rate of the second half of the runs (the first
 * half warms the JIT up). With
 * {@code --topology loop} it runs the plain loop ({@link PeerLoop}) instead, for the same
 * comparison of JVM flags. It checks nothing against the loop ({@link PeerBench} does); it only
 * uses the engine's public API, so it runs unchanged against another build put first on the
 * class path:
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+UseSerialGC -cp other-build.jar:perf/target/benchmarks.jar \
 *     io.streamprocessor.perf.engine.PeerRepeat [--topology SINGLE|loop] [--ws 1] [--events 3000000] [--runs 10] \
 *         [--single-producer false]
 * </pre>
 */
public final class PeerRepeat {
    private PeerRepeat() {
    }

    public static void main(String[] args) {
        Topology topology = Topology.SINGLE;
        boolean loop = false;
        long ws = 1;
        long events = 3_000_000;
        int runs = 10;
        boolean singleProducer = false;
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length) {
                usage("option " + args[a] + " needs a value");
            }
            String v = args[a + 1];
            try {
                switch (args[a]) {
                    case "--topology" -> {
                        loop = v.equals("loop");
                        topology = loop ? null : Topology.valueOf(v.toUpperCase().replace('-', '_'));
                    }
                    case "--ws" -> ws = Long.parseLong(v);
                    case "--events" -> events = Long.parseLong(v);
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--single-producer" -> singleProducer = parseBoolean(v);
                    default -> usage("unknown option " + args[a]);
                }
            } catch (IllegalArgumentException e) {
                usage(args[a] + ": not a valid value: " + v);
            }
        }
        if (ws < 1 || 60 % ws != 0 || events < 1 || runs < 2) {
            usage("--ws must divide 60, --events be positive and --runs at least 2");
        }
        long slideMillis = 60_000 / ws;
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            if (loop) {
                ThreadCost cost = ThreadCost.start();
                long t0 = System.nanoTime();
                int windows = new PeerLoop(60_000, slideMillis).run(events).windows().size();
                long nanos = System.nanoTime() - t0;
                rates[r] = events * 1e9 / nanos;
                System.out.printf("run %2d: %,13.0f events/s, CPU %,6.0f ns/event, %d windows%n", r + 1, rates[r],
                    (double) cost.cpuNanos() / events, windows);
                continue;
            }
            rates[r] = engineRun(r + 1, topology, slideMillis, events, singleProducer);
        }
        double[] measured = Arrays.copyOfRange(rates, runs / 2, runs);
        Arrays.sort(measured);
        int m = measured.length;
        double median = m % 2 == 1 ? measured[m / 2] : (measured[m / 2 - 1] + measured[m / 2]) / 2;
        System.out.printf("%s W/S %d: median of runs %d-%d: %,.0f events/s%n", loop ? "loop" : topology, ws, runs / 2 + 1, runs, median);
    }

    /** One run through the public API only, so that another build's engine can run it; returns events/s. */
    private static double engineRun(int run, Topology topology, long slideMillis, long n, boolean singleProducer) {
        ProcessorSettings.Builder b = StreamProcessor.builder();
        if (singleProducer) {
            b.singleProducer(true); // not called otherwise, so that builds without the option still run this
        }
        try (StreamProcessor p = b
                .topology(topology)
                .window(Duration.ofMillis(60_000), Duration.ofMillis(slideMillis))
                .retention(Duration.ofMillis(PeerWorkload.spanMillis(n) + 60_000))
                .build().start()) {
            Ingestor in = p.newIngestor();
            ThreadCost cost = ThreadCost.start();
            long t0 = System.nanoTime();
            PeerIngest.ingest(in, n);
            p.stats(); // waits for every event published to be processed
            long t1 = System.nanoTime();
            int windows = p.aggregations().size();
            long t2 = System.nanoTime();
            double rate = n * 1e9 / (t2 - t0);
            System.out.printf("run %2d: %,13.0f events/s, query %,8.1f ms (%d windows), CPU %,6.0f ns/event%n", run, rate,
                (t2 - t1) / 1e6, windows, (double) cost.cpuNanos() / n);
            return rate;
        }
    }

    private static boolean parseBoolean(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(v);
        }
        return v.equals("true");
    }

    private static void usage(String problem) {
        System.err.println("peer repeat: " + problem);
        System.err.println("usage: PeerRepeat [--topology SINGLE|loop] [--ws 1] [--events 3000000] [--runs 10] [--single-producer false]");
        System.exit(2);
    }
}
