package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import io.streamprocessor.engine.event.Interner;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Merges the per-group aggregates of a window's panes ({@link GroupTable}) into the window's
 * groups: the {@code top} largest by count (ties by name), the rest folded with each pane's
 * overflow into {@code _other}. Not cached: a grouped query merges its windows' panes afresh.
 * Counts, sums, min and max are added up for every group first; value sketches are merged only
 * for the groups named, and {@code _other}'s is the window's own less theirs (bin counts are
 * whole numbers, so the difference is exact) rather than a merge of hundreds of small sketches.
 *
 * <p>Not thread-safe: used by one query, under the lock that holds the window stage off.
 */
final class GroupMerge {
    private final Percentiles percentiles = new Percentiles();
    private final Int2ObjectHashMap<Group> byId = new Int2ObjectHashMap<>();
    /** Bin counts of {@code _other}'s sketch: key 2·index for positive values, 2·index + 1 for negative ones. */
    private final Long2LongHashMap bins = new Long2LongHashMap(Long.MIN_VALUE);

    /** A group's running totals across panes. */
    private static final class Group {
        final int id;
        String name;
        long count;
        long valueCount;
        double sum;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        DDSketch values;

        Group(int id) {
            this.id = id;
        }

        void add(GroupTable t, int slot) {
            count += t.count[slot];
            if (t.valueCount[slot] > 0) {
                valueCount += t.valueCount[slot];
                sum += t.sum[slot];
                min = Math.min(min, t.min[slot]);
                max = Math.max(max, t.max[slot]);
            }
        }

        void add(Group g) {
            count += g.count;
            if (g.valueCount > 0) {
                valueCount += g.valueCount;
                sum += g.sum;
                min = Math.min(min, g.min);
                max = Math.max(max, g.max);
            }
        }
    }

    /**
     * The windows with their groups, each merged from its panes ({@code panes} answers pane p,
     * or null when no event reached it).
     */
    List<WindowResult> attach(List<WindowResult> windows, long slide, int panesPerWindow, LongFunction<Pane> panes,
                              boolean byType, int top, Interner names) {
        List<Pane> held = new ArrayList<>(panesPerWindow);
        List<WindowResult> results = new ArrayList<>(windows.size());
        for (WindowResult w : windows) {
            long k = Math.floorDiv(w.start(), slide);
            held.clear();
            for (long p = k; p < k + panesPerWindow; p++) {
                Pane pane = panes.apply(p);
                if (pane != null) {
                    held.add(pane);
                }
            }
            results.add(w.withGroups(merge(held, byType, w.count(), top, names)));
        }
        return results;
    }

    /** The groups of a window holding {@code count} events, from its panes oldest first. */
    private WindowGroups merge(List<Pane> panes, boolean byType, long count, int top, Interner names) {
        byId.clear();
        for (Pane pane : panes) {
            GroupTable t = byType ? pane.typeGroups : pane.sourceGroups;
            for (int slot = 0; t != null && slot < t.size; slot++) {
                int id = t.ids[slot];
                Group g = byId.get(id);
                if (g == null) {
                    g = new Group(id);
                    byId.put(id, g);
                }
                g.add(t, slot);
            }
        }
        List<Group> named = new ArrayList<>(byId.size());
        Group other = new Group(GroupTable.OTHER);
        long grouped = 0;
        for (Group g : byId.values()) {
            grouped += g.count;
            if (g.id == GroupTable.OTHER) {
                other.add(g);
            } else {
                g.name = names.name(g.id);
                named.add(g);
            }
        }
        named.sort((a, b) -> {
            int c = Long.compare(b.count, a.count);
            return c != 0 ? c : a.name.compareTo(b.name);
        });
        List<Group> shown = named.subList(0, Math.min(top, named.size()));
        for (int i = shown.size(); i < named.size(); i++) {
            other.add(named.get(i));
        }
        for (Group g : shown) {
            g.values = merged(panes, byType, g.id, g.valueCount);
        }
        if (other.valueCount > 0) {
            other.values = count == grouped ? rest(panes, shown) : mergedExcept(panes, byType, shown);
        }
        Map<String, GroupStats> result = new LinkedHashMap<>();
        for (Group g : shown) {
            result.put(g.name, stats(g));
        }
        if (other.count > 0) {
            result.put(WindowResult.OTHER, stats(other));
        }
        return new WindowGroups(Collections.unmodifiableMap(result), count - grouped);
    }

    /** The value sketch of group {@code id} across the panes; null without values. */
    private static DDSketch merged(List<Pane> panes, boolean byType, int id, long valueCount) {
        if (valueCount == 0) {
            return null;
        }
        DDSketch s = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
        for (Pane pane : panes) {
            GroupTable t = byType ? pane.typeGroups : pane.sourceGroups;
            int slot = t == null ? -1 : t.slot(id);
            if (slot >= 0 && t.valueCount[slot] > 0) {
                s.mergeWith(t.values[slot]);
            }
        }
        return s;
    }

    /** Every group's sketch but those shown, merged: when some events are in no group, the panes' sketches hold more than the groups. */
    private static DDSketch mergedExcept(List<Pane> panes, boolean byType, List<Group> shown) {
        DDSketch s = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
        for (Pane pane : panes) {
            GroupTable t = byType ? pane.typeGroups : pane.sourceGroups;
            for (int slot = 0; t != null && slot < t.size; slot++) {
                if (t.valueCount[slot] > 0 && !isShown(t.ids[slot], shown)) {
                    s.mergeWith(t.values[slot]);
                }
            }
        }
        return s;
    }

    private static boolean isShown(int id, List<Group> shown) {
        for (Group g : shown) {
            if (g.id == id) {
                return true;
            }
        }
        return false;
    }

    /** The panes' value sketches less the shown groups' sketches, when every event of the window is in a group. */
    private DDSketch rest(List<Pane> panes, List<Group> shown) {
        bins.clear();
        double zeros = 0;
        for (Pane pane : panes) {
            if (pane.valueCount > 0) {
                zeros += addBins(pane.values, 1);
            }
        }
        for (Group g : shown) {
            if (g.values != null) {
                zeros -= addBins(g.values, -1);
            }
        }
        Store positive = new UnboundedSizeDenseStore();
        Store negative = new UnboundedSizeDenseStore();
        bins.forEachLong((key, n) -> {
            if (n > 0) {
                ((key & 1) == 0 ? positive : negative).add((int) (key >> 1), (double) n);
            }
        });
        return DDSketch.of(panes.get(0).values.getIndexMapping(), negative, positive, zeros);
    }

    /** Adds {@code sign} times the sketch's bins to {@link #bins}; returns its count of zeros. */
    private double addBins(DDSketch s, int sign) {
        s.getPositiveValueStore().forEach((index, n) -> addBin(2L * index, sign * (long) n));
        s.getNegativeValueStore().forEach((index, n) -> addBin(2L * index + 1, sign * (long) n));
        return s.getCount() - s.getPositiveValueStore().getTotalCount() - s.getNegativeValueStore().getTotalCount();
    }

    private void addBin(long key, long n) {
        long was = bins.get(key);
        bins.put(key, was == Long.MIN_VALUE ? n : was + n);
    }

    private GroupStats stats(Group g) {
        if (g.valueCount == 0) {
            return new GroupStats(g.count, 0, 0.0, null, null, null, null, null, null);
        }
        double[] p = percentiles.of(g.values, g.valueCount, g.min, g.max);
        return new GroupStats(g.count, g.valueCount, g.sum, g.sum / g.valueCount, g.min, g.max, p[0], p[1], p[2]);
    }
}
