package io.streamprocessor.engine.window;

import io.streamprocessor.engine.event.Interner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The grouped and ranged queries of a {@link WindowStoreReferenceTest} trial: at each query point
 * a random {@link WindowQuery} (a range of starts, a limit, groups by type or source, a top), its
 * windows held to the model's, filtered the same way, and each window to the plain query's, its
 * groups to {@link WindowModel#groups}. The first query grouping by a dimension switches the
 * model's grouping on, as it does the store's.
 */
final class GroupedQueries {
    final Map<String, Integer> seen = new TreeMap<>();
    private final Random g;
    private final WindowStore store;
    private final WindowModel model;
    private final Interner types;
    private final Interner sources;
    private final int typeLimit;
    private final int sourceLimit;

    GroupedQueries(Random g, WindowStore store, WindowModel model, Interner types, Interner sources,
                   int typeLimit, int sourceLimit) {
        this.g = g;
        this.store = store;
        this.model = model;
        this.types = types;
        this.sources = sources;
        this.typeLimit = typeLimit;
        this.sourceLimit = sourceLimit;
    }

    void activate(WindowQuery.GroupBy by) {
        store.query(types, sources, new WindowQuery(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, by, 10));
        switchOn(by);
    }

    private void switchOn(WindowQuery.GroupBy by) {
        if (by == WindowQuery.GroupBy.TYPE) {
            model.groupTypes = true;
        } else if (by == WindowQuery.GroupBy.SOURCE) {
            model.groupSources = true;
        }
    }

    /** One random query, compared with the model's windows and the plain query's results at the same point. */
    void check(List<WindowModel.Window> expected, List<WindowResult> plain, Supplier<String> context) {
        int roll = g.nextInt(5);
        WindowQuery.GroupBy by = roll == 0 ? null : roll <= 2 ? WindowQuery.GroupBy.TYPE : WindowQuery.GroupBy.SOURCE;
        long from = Long.MIN_VALUE;
        long to = Long.MAX_VALUE;
        if (!expected.isEmpty() && g.nextBoolean()) {
            long slide = store.spec().slideMillis();
            from = expected.get(g.nextInt(expected.size())).start + g.nextInt((int) slide + 1) - slide / 2;
            to = g.nextInt(4) == 0 ? from : expected.get(g.nextInt(expected.size())).start + g.nextInt((int) slide + 1);
            if (to < from) {
                long t = to;
                to = from;
                from = t;
            }
        }
        int limit = g.nextInt(3) == 0 ? 1 + g.nextInt(5) : Integer.MAX_VALUE;
        int top = g.nextBoolean() ? WindowQuery.DEFAULT_TOP : 1 + g.nextInt(4);
        WindowQuery q = new WindowQuery(from, to, limit, by, top);
        List<WindowResult> actual = store.query(types, sources, q);
        switchOn(by);
        Supplier<String> where = () -> context.get() + ", " + q;

        List<WindowModel.Window> inRange = new ArrayList<>();
        for (WindowModel.Window w : expected) {
            if (w.start >= q.from() && w.start < q.to()) {
                inRange.add(w);
            }
        }
        List<WindowModel.Window> selected = inRange.subList(Math.max(0, inRange.size() - limit), inRange.size());
        count("windows cut by from/to", inRange.size() < expected.size());
        count("windows cut by limit", selected.size() < inRange.size());
        List<Long> starts = new ArrayList<>();
        selected.forEach(w -> starts.add(w.start));
        List<Long> actualStarts = new ArrayList<>();
        actual.forEach(w -> actualStarts.add(w.start()));
        assertEquals(starts, actualStarts, () -> where.get() + ": window starts");

        Map<Long, WindowResult> plainByStart = new HashMap<>();
        plain.forEach(w -> plainByStart.put(w.start(), w));
        for (int i = 0; i < selected.size(); i++) {
            WindowModel.Window e = selected.get(i);
            WindowResult a = actual.get(i);
            Supplier<String> window = () -> where.get() + ", window [" + e.start + ", " + e.end + ")";
            assertEquals(plainByStart.get(e.start), a.withGroups(null), () -> window.get() + ": differs from the plain query");
            if (by == null) {
                assertNull(a.groups(), window);
                continue;
            }
            assertNotNull(a.groups(), window);
            boolean byType = by == WindowQuery.GroupBy.TYPE;
            Map<String, WindowModel.Group> groups = model.groups(e.start, byType, byType ? typeLimit : sourceLimit, top);
            compareGroups(e.count, groups, a.groups(), window);
            count("grouped windows", true);
            count("groups past the pane bound", model.pastPaneLimit);
            count("groups folded past top", model.pastTop);
            count("ungrouped events", a.groups().ungrouped() > 0);
        }
    }

    private static void compareGroups(long windowCount, Map<String, WindowModel.Group> expected, WindowGroups actual,
                                      Supplier<String> where) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.groups().keySet()),
            () -> where.get() + ": groups, largest first, _other last");
        long grouped = 0;
        for (Map.Entry<String, WindowModel.Group> entry : expected.entrySet()) {
            WindowModel.Group e = entry.getValue();
            GroupStats a = actual.groups().get(entry.getKey());
            Supplier<String> group = () -> where.get() + ", group " + entry.getKey();
            grouped += e.count;
            assertEquals(e.count, a.count(), group);
            assertEquals(e.values.size(), a.valueCount(), group);
            double[] sorted = e.values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double sumAbs = 0;
            double sum = 0;
            for (double v : sorted) {
                sumAbs += Math.abs(v);
                sum += v;
            }
            assertEquals(sum, a.sum(), WindowStoreReferenceTest.SUM_TOLERANCE * sumAbs, group);
            if (sorted.length == 0) {
                assertEquals(0.0, a.sum(), group);
                assertNull(a.avg(), group);
                assertNull(a.min(), group);
                assertNull(a.max(), group);
                assertNull(a.p50(), group);
                assertNull(a.p95(), group);
                assertNull(a.p99(), group);
                continue;
            }
            assertEquals(sum / sorted.length, a.avg(), WindowStoreReferenceTest.SUM_TOLERANCE * sumAbs / sorted.length, group);
            assertEquals(sorted[0], a.min(), 0.0, group);
            assertEquals(sorted[sorted.length - 1], a.max(), 0.0, group);
            WindowStoreReferenceTest.assertQuantile(0.50, a.p50(), sorted, group);
            WindowStoreReferenceTest.assertQuantile(0.95, a.p95(), sorted, group);
            WindowStoreReferenceTest.assertQuantile(0.99, a.p99(), sorted, group);
        }
        assertEquals(windowCount - grouped, actual.ungrouped(), () -> where.get() + ": events in no group");
    }

    private void count(String what, boolean happened) {
        if (happened) {
            seen.merge(what, 1, Integer::sum);
        }
    }
}
