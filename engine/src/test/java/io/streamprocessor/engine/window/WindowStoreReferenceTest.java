package io.streamprocessor.engine.window;

import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@link WindowStore} against a naive model on random streams: out-of-order and late
 * events, eviction, tumbling and sliding windows, events with and without a value. The model
 * keeps every accepted event and recomputes each window from scratch.
 *
 * <p>Runs are reproducible: every failure names the master seed (override it with
 * {@code -Dwindowstore.seed=...}) and the seed of the failing trial.
 */
class WindowStoreReferenceTest {
    private static final long MASTER_SEED = Long.getLong("windowstore.seed", 0x5EED_2024L);
    private static final String[] TYPES = {"metric", "log", "trace", "click", "événement"};
    private static final String[] SOURCES = {"web-1", "web-2", "db-1", "capteur-é", "edge"};
    /** DDSketch's guaranteed relative accuracy (1%), plus slack for floating-point rounding. */
    private static final double QUANTILE_ACCURACY = 0.01 + 1e-9;
    private static final double SUM_TOLERANCE = 1e-6;

    @Test
    void slidingWindowsMatchTheReference() {
        Random seeds = new Random(MASTER_SEED);
        for (int trial = 0; trial < 60; trial++) {
            runTrial(seeds.nextLong(), false);
        }
    }

    @Test
    void tumblingWindowsMatchTheReference() {
        Random seeds = new Random(MASTER_SEED + 1);
        for (int trial = 0; trial < 40; trial++) {
            runTrial(seeds.nextLong(), true);
        }
    }

    private void runTrial(long seed, boolean tumbling) {
        Random r = new Random(seed);
        long slide = 1 + r.nextInt(r.nextBoolean() ? 4 : 1_000);
        long size = slide * (tumbling ? 1 : 1 + r.nextInt(60));
        // retention need not be a multiple of the slide
        long retention = r.nextInt(4) == 0 ? 0 : r.nextInt((int) (3 * size) + 1);
        WindowSpec spec = new WindowSpec(size, slide, retention);
        String trial = "master seed " + MASTER_SEED + ", trial seed " + seed + ", " + spec;

        WindowStore store = new WindowStore(spec, 1_000, 10_000, List.of());
        Interner types = new Interner(10_000);
        Validator validator = new Validator(types, new Interner(10_000), Long.MAX_VALUE / 4, 16, 256, false, "t-");
        EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);
        Reference reference = new Reference(spec);

        long cursor = 1_700_000_000_000L + r.nextInt(1_000_000_000);
        int events = 200 + r.nextInt(400);
        int storeLate = 0;
        for (int i = 0; i < events; i++) {
            cursor += advance(r, spec);
            long t = timestamp(r, spec, cursor, reference);
            RefEvent e = new RefEvent(t, TYPES[r.nextInt(TYPES.length)], SOURCES[r.nextInt(SOURCES.length)]);
            write(slot, e, r);
            assertTrue(validator.validate(slot, cursor, i), () -> trial + ": rejected " + slot.rejectionMessage());
            assertEquals(e.hasValue, slot.view().hasValue(), trial);

            int n = i;
            boolean expected = reference.add(e);
            boolean added = store.add(slot.view());
            assertEquals(expected, added, () -> trial + ": event " + n + " at " + t + " with watermark "
                + reference.watermark + (expected ? " should be aggregated" : " should be late"));
            if (!added) {
                storeLate++;
            }
            if (i % 25 == 0 || i == events - 1) {
                assertEquals(reference.watermark, store.watermark(), trial);
                compare(reference.query(), store.query(types), () -> trial + ", after event " + n);
            }
        }
        assertEquals(reference.late, storeLate, () -> trial + ": late events");
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

    private static long timestamp(Random r, WindowSpec spec, long cursor, Reference reference) {
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

    /** Writes the event into the slot, choosing its value (or none) at random. */
    private static void write(EventRecord slot, RefEvent e, Random r) {
        DataWriter d = slot.begin(e.t).type(e.type).source(e.source).timestamp(e.t).data();
        d.startObject();
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

    private static void compare(List<RefWindow> expected, List<WindowResult> actual, Supplier<String> context) {
        List<Long> expectedStarts = new ArrayList<>();
        expected.forEach(w -> expectedStarts.add(w.start));
        List<Long> actualStarts = new ArrayList<>();
        actual.forEach(w -> actualStarts.add(w.start()));
        assertEquals(expectedStarts, actualStarts, () -> context.get() + ": window starts");

        for (int i = 0; i < expected.size(); i++) {
            RefWindow e = expected.get(i);
            WindowResult a = actual.get(i);
            Supplier<String> where = () -> context.get() + ", window [" + e.start + ", " + e.end + ")";
            assertEquals(e.end, a.end(), where);
            assertEquals(e.count, a.count(), where);
            assertEquals(e.values.size(), a.valueCount(), where);
            assertEquals(e.sources.size(), a.distinctSources(), where);
            assertFalse(a.distinctSourcesApproximate(), where);
            assertEquals(e.types, new HashMap<>(a.eventsByType()), where);
            assertLargestFirst(a.eventsByType(), where);

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

    private static void assertLargestFirst(Map<String, Long> byType, Supplier<String> where) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(byType.entrySet());
        for (int i = 1; i < entries.size(); i++) {
            Map.Entry<String, Long> prev = entries.get(i - 1);
            Map.Entry<String, Long> next = entries.get(i);
            boolean ordered = prev.getValue() > next.getValue()
                || (prev.getValue().equals(next.getValue()) && prev.getKey().compareTo(next.getKey()) < 0);
            assertTrue(ordered, () -> where.get() + ": eventsByType not largest first: " + byType);
        }
    }

    /**
     * The sketch answers the value of 0-based rank floor(q(n-1)); the nearest-rank definition is
     * ceil(qn)-1. Both are exact quantiles (they differ by at most one rank), so the answer must be
     * within the sketch's relative accuracy of the exact value at one of them. Relative accuracy
     * means a true 0 must come back as exactly 0, and a negative value as a negative one.
     */
    private static void assertQuantile(double q, Double actual, double[] sorted, Supplier<String> where) {
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

    // ------------------------------------------------------------------ the model

    private static final class RefEvent {
        final long t;
        final String type;
        final String source;
        boolean hasValue;
        double value;

        RefEvent(long t, String type, String source) {
            this.t = t;
            this.type = type;
            this.source = source;
        }

        void value(double v) {
            hasValue = true;
            value = v;
        }
    }

    private static final class RefWindow {
        final long start;
        final long end;
        long count;
        final List<Double> values = new ArrayList<>();
        final Set<String> sources = new HashSet<>();
        final Map<String, Long> types = new HashMap<>();

        RefWindow(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void add(RefEvent e) {
            count++;
            if (e.hasValue) {
                values.add(e.value);
            }
            sources.add(e.source);
            types.merge(e.type, 1L, Long::sum);
        }
    }

    /**
     * All accepted events, kept forever. Watermark: the largest accepted timestamp. An event is
     * late when every window holding it is evicted on arrival; a window is reported when it holds
     * an event and its end is after {@code watermark - retention}.
     */
    private static final class Reference {
        final long size;
        final long slide;
        final long retention;
        final List<RefEvent> accepted = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        int late;

        Reference(WindowSpec spec) {
            size = spec.sizeMillis();
            slide = spec.slideMillis();
            retention = spec.retentionMillis();
        }

        boolean add(RefEvent e) {
            if (!accepted.isEmpty()) {
                boolean allEvicted = true;
                for (long start : windowStartsHolding(e.t)) {
                    allEvicted &= start + size <= watermark - retention;
                }
                if (allEvicted) {
                    late++;
                    return false;
                }
            }
            accepted.add(e);
            watermark = Math.max(watermark, e.t);
            return true;
        }

        List<RefWindow> query() {
            TreeMap<Long, RefWindow> windows = new TreeMap<>();
            for (RefEvent e : accepted) {
                for (long start : windowStartsHolding(e.t)) {
                    long end = start + size;
                    if (end > watermark - retention) {
                        windows.computeIfAbsent(start, s -> new RefWindow(s, end)).add(e);
                    }
                }
            }
            return new ArrayList<>(windows.values());
        }

        /** Starts of the windows [k*slide, k*slide + size) that contain t. */
        List<Long> windowStartsHolding(long t) {
            List<Long> starts = new ArrayList<>();
            long last = Math.floorDiv(t, slide);
            for (long k = last - size / slide; k <= last; k++) {
                long start = k * slide;
                if (start <= t && t < start + size) {
                    starts.add(start);
                }
            }
            return starts;
        }
    }
}
