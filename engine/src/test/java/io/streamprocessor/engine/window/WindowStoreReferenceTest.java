package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.DistinctValues;
import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@link WindowStore} against a naive model ({@link WindowModel}) on random streams:
 * out-of-order and late events, eviction, tumbling and sliding windows, events with and without
 * a value, types past the per-window limit folded into {@code _other}, distinct sources past the
 * exact limit (an estimate within the documented 2%), and custom aggregations ({@link
 * DistinctValues} and {@link AmountSum}) merged across panes and reset when a pane is reused.
 * Every query is also held to exactly what merging every pane gives ({@link
 * WindowStore#queryUncached}), so a result kept from an earlier query must never go stale.
 * Sums and averages are compared with the model within a relative 1e-6 (the model adds the
 * values in sorted order, the store pane by pane), as they always were; against the merge of
 * every pane they must match to the last bit.
 *
 * <p>Runs are reproducible: every failure names the master seed (override it with
 * {@code -Dwindowstore.seed=...}) and the seed of the failing trial.
 */
class WindowStoreReferenceTest {
    private static final long MASTER_SEED = Long.getLong("windowstore.seed", 0x5EED_2024L);
    private static final String[] TYPES = {"metric", "log", "trace", "click", "événement", "span", "audit", "job"};
    /** DDSketch's guaranteed relative accuracy (1%), plus slack for floating-point rounding. */
    private static final double QUANTILE_ACCURACY = 0.01 + 1e-9;
    static final double SUM_TOLERANCE = 1e-6;
    /** API.md: past the exact limit, distinct counts are estimates with a relative error of at most 2%. */
    private static final double DISTINCT_TOLERANCE = 0.02;

    /** The limits of one trial: types kept per window, exact distinct limits, and how varied the stream is. */
    private record Limits(int typeLimit, int exactSources, int exactUsers, int types, int sources, int users) {
        static final Limits GENEROUS = new Limits(1_000, 10_000, 10_000, 5, 5, 20);

        static Limits tight(Random r) {
            return new Limits(1 + r.nextInt(4), 1 + r.nextInt(60), 1 + r.nextInt(30), 2 + r.nextInt(TYPES.length - 1),
                5 + r.nextInt(300), 1 + r.nextInt(120));
        }
    }

    @Test
    void slidingWindowsMatchTheReference() {
        Random seeds = new Random(MASTER_SEED);
        for (int trial = 0; trial < 60; trial++) {
            runTrial(seeds.nextLong(), ANY_OVERLAP, Limits.GENEROUS, EVERY_25);
        }
    }

    @Test
    void tumblingWindowsMatchTheReference() {
        Random seeds = new Random(MASTER_SEED + 1);
        for (int trial = 0; trial < 40; trial++) {
            runTrial(seeds.nextLong(), 1, Limits.GENEROUS, EVERY_25);
        }
    }

    @Test
    void typesPastTheLimitDistinctEstimatesAndCustomAggregationsMatchTheReference() {
        Random seeds = new Random(MASTER_SEED + 2);
        for (int trial = 0; trial < 60; trial++) {
            long seed = seeds.nextLong();
            runTrial(seed, trial % 3 == 0 ? 1 : ANY_OVERLAP, Limits.tight(new Random(seed)), EVERY_25);
        }
        for (String what : List.of("_other", "approximate sources", "users past the exact limit", "amounts")) {
            assertTrue(seen.getOrDefault(what, 0) >= 100, () -> "master seed " + MASTER_SEED
                + ": the streams should often produce " + what + "; compared " + seen);
        }
    }

    /**
     * Queries after every one to four events, each compared with the model and, exactly, with a
     * merge of every pane ({@link WindowStore#queryUncached}), so a result kept from an earlier
     * query that missed a change shows at once: late events into old panes, eviction, panes
     * reused once the ring has wrapped, W/S from 1 to 60, tight and generous limits.
     */
    @Test
    void queriesBetweenEveryFewEventsSeeEveryChange() {
        Random seeds = new Random(MASTER_SEED + 3);
        for (int trial = 0; trial < 60; trial++) {
            long seed = seeds.nextLong();
            Random gaps = new Random(seed);
            runTrial(seed, 1 + trial, trial % 2 == 0 ? Limits.GENEROUS : Limits.tight(new Random(seed)),
                () -> gaps.nextInt(4));
        }
        // seen with the default seed: 13,288 / 4,134 / 58
        Map<String, Integer> often = Map.of("accepted into an older pane than the newest", 5_000,
            "windows evicted between queries", 1_000, "trials whose pane ring wrapped twice", 40);
        often.forEach((what, atLeast) -> assertTrue(seen.getOrDefault(what, 0) >= atLeast, () -> "master seed "
            + MASTER_SEED + ": the streams should often produce " + what + "; saw " + seen));
    }

    /**
     * Queries only every 100 to 400 events, so that most windows are rebuilt together in one
     * query, as the first query after start-up or after a long pause does; there the distinct
     * sources of the windows the index does not count are counted by sliding from window to
     * window ({@link SlidingSources}) instead of merged per window, and must be exactly what the
     * merge of every pane gives: W/S from 2 to 60, with sources past the exact limit in some
     * panes and windows (tight limits) and without (generous ones).
     */
    @Test
    void queriesAfterLongPausesRebuildEveryWindowAsAMergeWould() {
        Random seeds = new Random(MASTER_SEED + 5);
        for (int trial = 0; trial < 60; trial++) {
            long seed = seeds.nextLong();
            Random gaps = new Random(seed);
            runTrial(seed, 2 + trial % 59, trial % 2 == 0 ? Limits.GENEROUS : Limits.tight(new Random(seed)),
                () -> 100 + gaps.nextInt(300));
        }
    }

    @Test
    void groupedQueriesMatchTheReference() {
        // the other tests run grouped queries too; these check that they met every case often
        Map<String, Integer> before = new TreeMap<>(seen);
        Random seeds = new Random(MASTER_SEED + 4);
        for (int trial = 0; trial < 60; trial++) {
            long seed = seeds.nextLong();
            Random gaps = new Random(seed);
            runTrial(seed, trial % 3 == 0 ? 1 : ANY_OVERLAP, trial % 2 == 0 ? Limits.GENEROUS : Limits.tight(new Random(seed)),
                () -> gaps.nextInt(6));
        }
        for (String what : List.of("grouped windows", "groups past the pane bound", "groups folded past top",
            "ungrouped events", "windows cut by from/to", "windows cut by limit")) {
            assertTrue(seen.getOrDefault(what, 0) - before.getOrDefault(what, 0) >= 100, () -> "master seed "
                + MASTER_SEED + ": the streams should often produce " + what + "; saw " + seen);
        }
    }

    /** How many compared windows showed each case, so a stream that stopped producing one is noticed. */
    private final Map<String, Integer> seen = new TreeMap<>();

    /** W/S drawn at random from 1 to 60. */
    private static final int ANY_OVERLAP = 0;
    /** Queries after events 0, 25, 50, ... and the last. */
    private static final IntSupplier EVERY_25 = () -> 24;

    /**
     * @param panesPerWindow W/S, or {@link #ANY_OVERLAP}
     * @param gap            how many events to add before the next query
     */
    private void runTrial(long seed, int panesPerWindow, Limits limits, IntSupplier gap) {
        Random r = new Random(seed ^ 0x9E3779B97F4A7C15L);
        long slide = 1 + r.nextInt(r.nextBoolean() ? 4 : 1_000);
        long size = slide * (panesPerWindow > 0 ? panesPerWindow : 1 + r.nextInt(60));
        // retention need not be a multiple of the slide
        long retention = r.nextInt(4) == 0 ? 0 : r.nextInt((int) (3 * size) + 1);
        WindowSpec spec = new WindowSpec(size, slide, retention);
        String trial = "master seed " + MASTER_SEED + ", trial seed " + seed + ", " + spec + ", " + limits;

        // grouped queries draw from their own generator, so the stream of each seed is what it always was
        Random g = new Random(seed ^ 0x6A09E667F3BCC909L);
        int sourceGroups = limits == Limits.GENEROUS ? 1_000 : 1 + g.nextInt(20);
        WindowStore store = new WindowStore(spec, limits.typeLimit(), limits.exactSources(), sourceGroups,
            List.of(new DistinctValues("users", "data.user", limits.exactUsers()), new AmountSum()));
        Interner types = new Interner(10_000);
        Interner sources = new Interner(10_000);
        Validator validator = new Validator(types, sources, Long.MAX_VALUE / 4, 16, 256, false, "t-");
        EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);
        WindowModel reference = new WindowModel(spec, limits.typeLimit());
        GroupedQueries grouped = new GroupedQueries(g, store, reference, types, sources, limits.typeLimit(), sourceGroups);
        if (g.nextInt(3) == 0) {
            // grouping from the first event on: every window's groups are complete
            grouped.activate(g.nextBoolean() ? WindowQuery.GroupBy.TYPE : WindowQuery.GroupBy.SOURCE);
        }

        long cursor = 1_700_000_000_000L + r.nextInt(1_000_000_000);
        int events = 200 + r.nextInt(400);
        int storeLate = 0;
        int untilQuery = 0;
        long oldestReported = Long.MIN_VALUE;
        long firstPane = Long.MIN_VALUE;
        for (int i = 0; i < events; i++) {
            cursor += advance(r, spec);
            long t = timestamp(r, spec, cursor, reference);
            WindowModel.Event e = new WindowModel.Event(t, TYPES[r.nextInt(limits.types())],
                "source-" + r.nextInt(limits.sources()) + (r.nextBoolean() ? "" : "-é"));
            write(slot, e, r, limits);
            assertTrue(validator.validate(slot, cursor, i), () -> trial + ": rejected " + slot.rejectionMessage());
            assertEquals(e.hasValue, slot.view().hasValue(), trial);

            int n = i;
            long newestPane = reference.watermark == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(reference.watermark, slide);
            boolean expected = reference.add(e);
            boolean added = store.add(slot.view());
            assertEquals(expected, added, () -> trial + ": event " + n + " at " + t + " with watermark "
                + reference.watermark + (expected ? " should be aggregated" : " should be late"));
            if (!added) {
                storeLate++;
            } else if (Math.floorDiv(t, slide) < newestPane) {
                count("accepted into an older pane than the newest", true);
            }
            if (firstPane == Long.MIN_VALUE) {
                firstPane = Math.floorDiv(t, slide);
            }
            if (untilQuery-- == 0 || i == events - 1) {
                assertEquals(reference.watermark, store.watermark(), trial);
                List<WindowResult> windows = store.query(types);
                assertSameAsUncached(store.queryUncached(types), windows, () -> trial + ", after event " + n);
                List<WindowModel.Window> expectedWindows = reference.query();
                compare(expectedWindows, windows, limits, () -> trial + ", after event " + n);
                grouped.check(expectedWindows, windows, () -> trial + ", after event " + n);
                if (!windows.isEmpty()) {
                    count("windows evicted between queries", oldestReported != Long.MIN_VALUE
                        && windows.get(0).start() > oldestReported);
                    oldestReported = windows.get(0).start();
                }
                untilQuery = gap.getAsInt();
            }
        }
        assertEquals(reference.late, storeLate, () -> trial + ": late events");
        grouped.seen.forEach((what, times) -> seen.merge(what, times, Integer::sum));
        // the ring holds fewer than 2 * ((retention + size) / slide + 2) panes
        long ring = 2 * ((retention + size) / slide + 2);
        count("trials whose pane ring wrapped twice", Math.floorDiv(store.watermark(), slide) - firstPane >= 2 * ring);
    }

    // ------------------------------------------------------------------ the random stream

    private static long advance(Random r, WindowSpec spec) {
        int roll = r.nextInt(100);
        if (roll < 2) {
            // a burst forward that evicts most of what is held
            return r.nextInt((int) (2 * (spec.retentionMillis() + spec.sizeMillis())) + 1);
        }
        return roll < 80 ? r.nextInt((int) (2 * spec.slideMillis()) + 1) : 0;
    }

    private static long timestamp(Random r, WindowSpec spec, long cursor, WindowModel reference) {
        long s = spec.slideMillis();
        long w = spec.sizeMillis();
        long held = spec.retentionMillis() + w;
        int roll = r.nextInt(100);
        if (roll < 55) {
            return cursor - r.nextInt((int) w);
        }
        if (roll < 70) {
            return cursor + r.nextInt((int) s + 1);
        }
        if (roll < 85) {
            return cursor - r.nextInt((int) (held + s));
        }
        if (roll < 93 && reference.watermark != Long.MIN_VALUE) {
            // right at the eviction boundary: the last pane that is late, or the first that is not
            long p = Math.floorDiv(reference.watermark - spec.retentionMillis() - w, s) + r.nextInt(2);
            return p * s + r.nextInt((int) s);
        }
        return cursor - held - r.nextInt((int) (2 * held + s));
    }

    /**
     * The one place events are built for the store: writes the event into the slot, choosing at
     * random its value (or none), its user (a string or a number, or nothing countable) and its
     * amount, and records in {@code e} what the model should count.
     */
    private static void write(EventRecord slot, WindowModel.Event e, Random r, Limits limits) {
        DataWriter d = slot.begin(e.t).type(e.type).source(e.source).timestamp(e.t).data();
        d.startObject();
        int user = r.nextInt(limits.users());
        switch (r.nextInt(8)) {
            case 0 -> d.name("user").nullValue();
            case 1 -> d.name("user").bool(true);
            case 2 -> {
                // 7 and 7.0 are one number; -0.0 and 0 too
                e.user = (double) user;
                if (user == 0) {
                    d.name("user").number(-0.0);
                } else {
                    d.name("user").number(user + 0.0);
                }
            }
            case 3 -> {
                e.user = (double) user;
                d.name("user").number((long) user);
            }
            case 4 -> {
            }
            default -> {
                // the string "7" is not the number 7
                e.user = "s" + user;
                d.name("user").string(String.valueOf(user));
            }
        }
        if (r.nextInt(4) > 0) {
            e.amount = (long) (r.nextInt(2001) - 1000);
            d.name("amount").number(e.amount);
        } else if (r.nextBoolean()) {
            d.name("amount").string("12");
        }
        int roll = r.nextInt(100);
        if (roll < 5) {
            d.name("other").number(1L);
        } else if (roll < 10) {
            d.name("value").string("12");
        } else if (roll < 15) {
            d.name("value").nullValue();
        } else if (roll < 20) {
            d.name("nested").startObject().name("value").number(3L).endObject();
        } else if (roll < 30) {
            e.value(r.nextBoolean() ? 0.0 : -0.0);
            d.name("value").number(0L);
        } else if (roll < 60) {
            long v = r.nextInt(201) - 100;
            e.value(v);
            d.name("tag").string("x").name("value").number(v);
        } else {
            double magnitude = Math.exp(r.nextDouble() * 20 - 6);
            double v = r.nextInt(5) == 0 ? -magnitude : magnitude;
            e.value(v);
            d.name("value").number(v);
        }
        d.endObject();
    }

    // ------------------------------------------------------------------ comparison

    private void compare(List<WindowModel.Window> expected, List<WindowResult> actual, Limits limits,
                                Supplier<String> context) {
        List<Long> expectedStarts = new ArrayList<>();
        expected.forEach(w -> expectedStarts.add(w.start));
        List<Long> actualStarts = new ArrayList<>();
        actual.forEach(w -> actualStarts.add(w.start()));
        assertEquals(expectedStarts, actualStarts, () -> context.get() + ": window starts");

        for (int i = 0; i < expected.size(); i++) {
            WindowModel.Window e = expected.get(i);
            WindowResult a = actual.get(i);
            Supplier<String> where = () -> context.get() + ", window [" + e.start + ", " + e.end + ")";
            assertEquals(e.end, a.end(), where);
            assertEquals(e.count, a.count(), where);
            assertEquals(e.values.size(), a.valueCount(), where);
            assertEquals(e.sources.size() > limits.exactSources(), a.distinctSourcesApproximate(),
                () -> where.get() + ": approximate exactly when the distinct sources exceed the exact limit");
            assertDistinct(e.sources.size(), limits.exactSources(), a.distinctSources(), "distinct sources", where);
            assertEquals(List.copyOf(e.types.entrySet()), List.copyOf(a.eventsByType().entrySet()),
                () -> where.get() + ": eventsByType, largest first, _other last");
            assertDistinct(e.users.size(), limits.exactUsers(), (Long) a.custom().get("users"), "users", where);
            assertEquals(Map.of("sum", e.amountSum, "events", e.amountEvents), a.custom().get("amount"), where);
            assertEquals(List.of("users", "amount"), List.copyOf(a.custom().keySet()), where);
            count("_other", e.types.containsKey(WindowResult.OTHER));
            count("approximate sources", a.distinctSourcesApproximate());
            count("users past the exact limit", e.users.size() > limits.exactUsers());
            count("amounts", e.amountEvents > 1);

            double[] sorted = e.values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double sumAbs = Arrays.stream(sorted).map(Math::abs).sum();
            double sum = Arrays.stream(sorted).sum();
            assertEquals(sum, a.sum(), SUM_TOLERANCE * sumAbs, where);
            if (sorted.length == 0) {
                assertEquals(0.0, a.sum(), where);
                assertNull(a.avg(), where);
                assertNull(a.min(), where);
                assertNull(a.max(), where);
                assertNull(a.p50(), where);
                assertNull(a.p95(), where);
                assertNull(a.p99(), where);
                continue;
            }
            assertNotNull(a.avg(), where);
            assertEquals(sum / sorted.length, a.avg(), SUM_TOLERANCE * sumAbs / sorted.length, where);
            assertEquals(sorted[0], a.min(), 0.0, where);
            assertEquals(sorted[sorted.length - 1], a.max(), 0.0, where);
            assertQuantile(0.50, a.p50(), sorted, where);
            assertQuantile(0.95, a.p95(), sorted, where);
            assertQuantile(0.99, a.p99(), sorted, where);
        }
    }

    /** What a query returns must be exactly, to the last bit, what merging every pane of every window gives. */
    private static void assertSameAsUncached(List<WindowResult> merged, List<WindowResult> actual, Supplier<String> context) {
        assertEquals(merged.size(), actual.size(), () -> context.get() + ": windows returned vs merged from every pane");
        for (int i = 0; i < merged.size(); i++) {
            WindowResult m = merged.get(i);
            assertEquals(m, actual.get(i), () -> context.get() + ", window [" + m.start() + ", " + m.end()
                + "): differs from a merge of every pane");
        }
    }

    private void count(String what, boolean happened) {
        if (happened) {
            seen.merge(what, 1, Integer::sum);
        }
    }

    /** Exact up to the limit; past it an estimate within the documented relative error. */
    private static void assertDistinct(int exact, int limit, long actual, String what, Supplier<String> where) {
        if (exact <= limit) {
            assertEquals(exact, actual, () -> where.get() + ": " + what + " (exact up to " + limit + ")");
        } else {
            assertTrue(Math.abs(actual - exact) <= DISTINCT_TOLERANCE * exact, () -> where.get() + ": " + what
                + " estimate " + actual + " for " + exact + " distinct, more than 2% off");
        }
    }

    /**
     * The sketch answers the value of 0-based rank floor(q(n-1)); the nearest-rank definition is
     * ceil(qn)-1. Both are exact quantiles (they differ by at most one rank), so the answer must be
     * within the sketch's relative accuracy of the exact value at one of them. Relative accuracy
     * means a true 0 must come back as exactly 0, and a negative value as a negative one.
     */
    static void assertQuantile(double q, Double actual, double[] sorted, Supplier<String> where) {
        assertNotNull(actual, where);
        int n = sorted.length;
        int lo = Math.max(0, (int) Math.floor(q * (n - 1) - 1e-9));
        int hi = Math.min(n - 1, Math.max((int) Math.ceil(q * n) - 1, (int) Math.floor(q * (n - 1) + 1e-9)));
        for (int i = lo; i <= hi; i++) {
            if (Math.abs(actual - sorted[i]) <= QUANTILE_ACCURACY * Math.abs(sorted[i])) {
                return;
            }
        }
        fail(where.get() + ": p" + Math.round(q * 100) + " = " + actual + ", exact " + sorted[lo]
            + (hi != lo ? " or " + sorted[hi] : "") + " over " + n + " values");
    }
}
