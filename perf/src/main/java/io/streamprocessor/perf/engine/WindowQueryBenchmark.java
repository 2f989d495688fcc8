package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.window.WindowResult;
import io.streamprocessor.engine.window.WindowSpec;
import io.streamprocessor.engine.window.WindowStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one {@code GET /aggregations} worth of {@link WindowStore} work: every live window
 * of 60 s windows kept 5 minutes, sliding 10 s (W/S 6, the default) or 1 s (W/S 60), with
 * {@code path} {@code cached} ({@link WindowStore#query}, which merges only what changed) or
 * {@code uncached} ({@link WindowStore#queryUncached}, every pane of every window, as every query
 * did before).
 *
 * <p>The store is filled before measuring with the full retention of events, and between two
 * queries (outside the timing, {@link Level#Invocation}) {@value #EVENTS_PER_QUERY} more arrive
 * over {@value #STEP_MILLIS} ms of event time: 5,000 events per second of event time from
 * {@value #SOURCES} sources and {@value #TYPES} types, each a log-normal {@code value}, stamped up
 * to ~1 s before the newest (so about half of them, at a 1 s slide, land in the pane before the
 * newest). The newest pane moves every 10 queries (1 s slide) or 100 (10 s): the steady state of
 * a dashboard polling ten times a second. Events are validated like the window stage sees them
 * (interned type and source, source hash, value).
 *
 * <p>The heap is touched in full at start ({@code -XX:+AlwaysPreTouch}): without it, a few
 * seconds in, the young generation grew into memory never touched before, and on this VM the
 * page faults of that first touch tripled the median query for the rest of a short run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class WindowQueryBenchmark {
    static final int SOURCES = 1_000;
    static final int TYPES = 10;
    static final int EVENTS_PER_QUERY = 500;
    static final long STEP_MILLIS = 100;
    private static final long SIZE_MILLIS = 60_000;
    private static final long RETENTION_MILLIS = 300_000;
    private static final int MAX_LATENESS_MILLIS = 1023;
    private static final long T0 = 1_700_000_000_000L;

    /** Window size over slide: 6 (60 s every 10 s, the default) or 60 (60 s every 1 s). */
    @Param({"6", "60"})
    public int panesPerWindow;

    @Param({"cached", "uncached"})
    public String path;

    private final char[][] type = new char[TYPES][];
    private final char[][] source = new char[SOURCES][];
    private final char[] valueName = "value".toCharArray();
    private final double[] values = new double[1024];
    private WindowStore store;
    private Interner types;
    private Validator validator;
    private EventRecord record;
    private SplittableRandom random;
    private boolean cached;
    private long now;
    private long sequence;

    @Setup(Level.Trial)
    public void fill() {
        for (int i = 0; i < TYPES; i++) {
            type[i] = ("type-" + i).toCharArray();
        }
        for (int i = 0; i < SOURCES; i++) {
            source[i] = ("web-" + (i / 16) + "-node-" + i).toCharArray();
        }
        random = new SplittableRandom(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.round(Math.exp(Math.log(50) + random.nextGaussian()) * 100) / 100.0;
        }
        cached = switch (path) {
            case "cached" -> true;
            case "uncached" -> false;
            default -> throw new IllegalArgumentException("path must be cached or uncached, got " + path);
        };
        store = new WindowStore(new WindowSpec(SIZE_MILLIS, SIZE_MILLIS / panesPerWindow, RETENTION_MILLIS),
            1_000, 10_000, List.of());
        types = new Interner(10_000);
        validator = new Validator(types, new Interner(10_000), Long.MAX_VALUE / 4, 16, 256, false, "b-");
        record = new EventRecord(FieldPath.of("value"), 64, 1024);
        now = T0;
        while (now < T0 + RETENTION_MILLIS + SIZE_MILLIS) {
            arrive();
        }
        List<WindowResult> windows = store.query(types);
        System.out.println("windows: W/S " + panesPerWindow + ", " + windows.size() + " live windows, newest holds "
            + windows.get(windows.size() - 1).count() + " events and " + windows.get(windows.size() - 1).distinctSources()
            + " sources");
    }

    /** The events of the next {@value #STEP_MILLIS} ms of event time. */
    @Setup(Level.Invocation)
    public void arrive() {
        now += STEP_MILLIS;
        for (int i = 0; i < EVENTS_PER_QUERY; i++) {
            long t = now - STEP_MILLIS + random.nextLong(STEP_MILLIS) - random.nextInt(MAX_LATENESS_MILLIS + 1);
            char[] ty = type[random.nextInt(TYPES)];
            char[] src = source[random.nextInt(SOURCES)];
            record.begin(now).type(ty, 0, ty.length).source(src, 0, src.length).timestamp(t)
                .data().startObject()
                .name(valueName, 0, valueName.length).number(values[random.nextInt(values.length)])
                .endObject();
            if (!validator.validate(record, now, sequence++) || !store.add(record.view())) {
                throw new IllegalStateException("event at " + t + " was rejected or late: " + record.rejectionMessage());
            }
        }
    }

    @Benchmark
    public List<WindowResult> query() {
        return cached ? store.query(types) : store.queryUncached(types);
    }

    @TearDown(Level.Trial)
    public void check() {
        // both paths must agree on what they measured
        List<WindowResult> kept = store.query(types);
        if (!kept.equals(store.queryUncached(types))) {
            throw new IllegalStateException("cached and uncached queries differ");
        }
    }
}
