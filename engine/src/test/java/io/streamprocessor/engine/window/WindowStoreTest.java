package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.DistinctValues;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowStoreTest {
    private final Interner types = new Interner(10_000);
    private final Validator validator =
        new Validator(types, new Interner(10_000), Long.MAX_VALUE / 4, 16, 256, false, "t-");
    private final EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);
    private long sequence;

    private EventView event(long t, String type, String source, Double value) {
        DataWriter d = slot.begin(t).type(type).source(source).timestamp(t).data();
        d.startObject();
        if (value != null) {
            d.name("value").number(value);
        }
        d.name("userId").string(source + "-user");
        d.endObject();
        assertTrue(validator.validate(slot, t, sequence++), slot::rejectionMessage);
        return slot.view();
    }

    private EventView event(long t, Double value) {
        return event(t, "metric", "web-1", value);
    }

    private EventView event(long t, Double value, String source) {
        return event(t, "metric", source, value);
    }

    private static List<Long> starts(List<WindowResult> windows) {
        return windows.stream().map(WindowResult::start).toList();
    }

    @Test
    void anEmptyStoreReportsNoWindows() {
        WindowStore store = new WindowStore(WindowSpec.defaults(), 1_000, 10_000, List.of());
        assertEquals(List.of(), store.query(types));
        assertEquals(Long.MIN_VALUE, store.watermark());
    }

    @Test
    void anEventLandsInEveryWindowThatContainsIt() {
        WindowStore store = new WindowStore(WindowSpec.defaults(), 1_000, 10_000, List.of());
        long t = 1_699_380_065_000L;
        assertTrue(store.add(event(t, 5.0)));
        List<WindowResult> windows = store.query(types);
        assertEquals(List.of(1_699_380_010_000L, 1_699_380_020_000L, 1_699_380_030_000L,
            1_699_380_040_000L, 1_699_380_050_000L, 1_699_380_060_000L), starts(windows));
        for (WindowResult w : windows) {
            assertEquals(w.start() + 60_000, w.end());
            assertEquals(1, w.count());
            assertEquals(5.0, w.sum());
            assertEquals(Map.of("metric", 1L), w.eventsByType());
        }
    }

    @Test
    void windowsAreEvictedOnceTheirEndIsAtWatermarkMinusRetention() {
        WindowStore store = new WindowStore(new WindowSpec(30, 10, 20), 1_000, 10_000, List.of());
        store.add(event(1_005, 1.0));
        store.add(event(1_100, 2.0));
        // watermark - retention = 1080: [1050,1080) is evicted, [1060,1090) holds nothing
        assertEquals(List.of(1_080L, 1_090L, 1_100L), starts(store.query(types)));
    }

    /** Counting it as late is the window stage's part; StreamProcessorTest checks totalLate. */
    @Test
    void aLateEventIsRefusedAndChangesNoWindow() {
        WindowStore store = new WindowStore(new WindowSpec(30, 10, 20), 1_000, 10_000, List.of());
        store.add(event(1_100, 2.0));
        List<WindowResult> before = store.query(types);
        // its last window [1050,1080) ends at watermark - retention
        assertFalse(store.add(event(1_059, 100.0)));
        assertEquals(before, store.query(types));
        assertEquals(1_100, store.watermark());
        // one millisecond later it falls in [1060,1090), still held
        assertTrue(store.add(event(1_060, 100.0)));
        assertEquals(List.of(1_060L, 1_080L, 1_090L, 1_100L), starts(store.query(types)));
        assertEquals(100.0, store.query(types).get(0).sum());
    }

    @Test
    void anEventWithoutAValueCountsButHasNoValueAggregates() {
        WindowStore store = new WindowStore(new WindowSpec(10, 10, 0), 1_000, 10_000, List.of());
        store.add(event(1_000, "log", "a", null));
        WindowResult w = store.query(types).get(0);
        assertEquals(1, w.count());
        assertEquals(0, w.valueCount());
        assertEquals(0.0, w.sum());
        assertEquals(null, w.avg());
        assertEquals(null, w.min());
        assertEquals(null, w.max());
        assertEquals(null, w.p50());
        assertEquals(Map.of("log", 1L), w.eventsByType());
    }

    @Test
    void typesPastTheLimitAreCountedUnderOther() {
        WindowStore store = new WindowStore(new WindowSpec(10, 10, 0), 2, 10_000, List.of());
        for (int i = 0; i < 3; i++) {
            store.add(event(1_000, "metric", "a", 1.0));
        }
        store.add(event(1_001, "log", "a", 1.0));
        store.add(event(1_002, "trace", "a", 1.0));
        store.add(event(1_003, "click", "a", 1.0));
        WindowResult w = store.query(types).get(0);
        assertEquals(6, w.count());
        assertEquals(Map.of("metric", 3L, "log", 1L, WindowResult.OTHER, 2L), w.eventsByType());
    }

    @Test
    void typesPastTheLimitAcrossPanesFoldTheSmallestIntoOther() {
        WindowStore store = new WindowStore(new WindowSpec(20, 10, 10), 2, 10_000, List.of());
        store.add(event(1_000, "a", "s", null));
        store.add(event(1_000, "a", "s", null));
        store.add(event(1_000, "a", "s", null));
        store.add(event(1_001, "b", "s", null));
        store.add(event(1_010, "c", "s", null));
        store.add(event(1_010, "c", "s", null));
        store.add(event(1_011, "d", "s", null));
        WindowResult both = store.query(types).get(1);
        assertEquals(1_000, both.start());
        assertEquals(List.of("a", "c", WindowResult.OTHER), List.copyOf(both.eventsByType().keySet()));
        assertEquals(List.of(3L, 2L, 2L), List.copyOf(both.eventsByType().values()));
    }

    @Test
    void distinctSourcesPastTheExactLimitAreApproximate() {
        WindowStore store = new WindowStore(new WindowSpec(20, 10, 0), 1_000, 100, List.of());
        for (int i = 0; i < 3_000; i++) {
            store.add(event(1_000 + (i % 20), "metric", "source-" + i, null));
        }
        List<WindowResult> windows = store.query(types);
        WindowResult whole = windows.stream().filter(w -> w.start() == 1_000).findFirst().orElseThrow();
        assertTrue(whole.distinctSourcesApproximate());
        assertEquals(3_000, whole.distinctSources(), 3_000 * 0.02);
    }

    @Test
    void aCustomAggregationMergesAcrossPanes() {
        WindowStore store = new WindowStore(new WindowSpec(20, 10, 10), 1_000, 10_000,
            List.of(new DistinctValues("uniqueUsers", "data.userId", 1_000)));
        store.add(event(1_000, "metric", "a", null));
        store.add(event(1_001, "metric", "b", null));
        store.add(event(1_010, "metric", "b", null));
        store.add(event(1_011, "metric", "c", null));
        Map<Long, Object> unique = new java.util.TreeMap<>();
        store.query(types).forEach(w -> unique.put(w.start(), w.custom().get("uniqueUsers")));
        assertEquals(Map.of(990L, 2L, 1_000L, 3L, 1_010L, 2L), unique);
    }

    @Test
    void valuesAtTheEdgeOfTheDoubleRangeAreAggregated() {
        WindowStore store = new WindowStore(new WindowSpec(10, 10, 0), 1_000, 10_000, List.of());
        assertTrue(store.add(event(1_000, "metric", "a", Double.MAX_VALUE)));
        assertTrue(store.add(event(1_001, "metric", "b", -Double.MAX_VALUE)));
        assertTrue(store.add(event(1_002, "metric", "c", Double.MIN_VALUE)));
        assertTrue(store.add(event(1_003, "metric", "d", Double.MAX_VALUE)));
        WindowResult w = store.query(types).get(0);
        assertEquals(4, w.count());
        assertEquals(4, w.valueCount());
        assertEquals(4, w.distinctSources());
        assertEquals(Map.of("metric", 4L), w.eventsByType());
        assertEquals(Double.MAX_VALUE, w.max());
        assertEquals(-Double.MAX_VALUE, w.min());
        // beyond the sketch's range a quantile is clamped to its edge: 1% short, plus its 1% accuracy
        assertEquals(Double.MAX_VALUE, w.p99(), Double.MAX_VALUE * 0.021);
    }

    @Test
    void aLateEventChangesExactlyTheWindowsHoldingItsPaneBetweenQueries() {
        WindowStore store = new WindowStore(new WindowSpec(30, 10, 100), 1_000, 10_000, List.of());
        for (long t = 1_000; t <= 1_200; t += 10) {
            store.add(event(t, 1.0));
        }
        List<WindowResult> before = store.query(types);
        // pane [1100, 1110) is in the windows starting at 1080, 1090 and 1100, all closed by now
        assertTrue(store.add(event(1_105, 5.0, "late")));
        List<WindowResult> after = store.query(types);
        assertEquals(starts(before), starts(after));
        for (int i = 0; i < before.size(); i++) {
            WindowResult b = before.get(i);
            WindowResult a = after.get(i);
            if (b.start() >= 1_080 && b.start() <= 1_100) {
                assertEquals(b.count() + 1, a.count(), "window at " + b.start());
                assertEquals(b.sum() + 5.0, a.sum(), "window at " + b.start());
                assertEquals(b.distinctSources() + 1, a.distinctSources(), "window at " + b.start());
            } else {
                assertEquals(b, a, "window at " + b.start());
            }
        }
    }

    /** Results are kept for later queries, so changing one must not change what the next query answers. */
    @Test
    void aCallerCannotAlterWhatTheNextQueryAnswers() {
        WindowStore store = new WindowStore(new WindowSpec(20, 10, 10), 1_000, 10_000,
            List.of(new DistinctValues("uniqueUsers", "data.userId", 1_000)));
        store.add(event(1_000, "metric", "a", 1.0));
        WindowResult w = store.query(types).get(0);
        assertThrows(UnsupportedOperationException.class, () -> w.eventsByType().put("metric", 99L));
        assertThrows(UnsupportedOperationException.class, () -> w.custom().put("uniqueUsers", 99L));
        assertEquals(Map.of("metric", 1L), store.query(types).get(0).eventsByType());
        assertEquals(Map.of("uniqueUsers", 1L), store.query(types).get(0).custom());
    }
}
