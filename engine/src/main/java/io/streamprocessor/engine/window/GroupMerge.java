package io.streamprocessor.engine.window;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import io.streamprocessor.engine.event.Interner;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the per-group aggregates of a window's panes ({@link GroupTable}) into the window's
 * groups: the {@code top} largest by count (ties by name), the rest folded with each pane's
 * overflow into {@code _other}. Not cached: a grouped query merges its windows' panes afresh.
 *
 * <p>Not thread-safe: used by one query, under the lock that holds the window stage off.
 */
final class GroupMerge {
    private final Percentiles percentiles = new Percentiles();
    private final Int2ObjectHashMap<Group> byId = new Int2ObjectHashMap<>();

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
                sketch().mergeWith(t.values[slot]);
            }
        }

        void add(Group g) {
            count += g.count;
            if (g.valueCount > 0) {
                valueCount += g.valueCount;
                sum += g.sum;
                min = Math.min(min, g.min);
                max = Math.max(max, g.max);
                sketch().mergeWith(g.values);
            }
        }

        private DDSketch sketch() {
            if (values == null) {
                values = DDSketches.unboundedDense(Pane.QUANTILE_ACCURACY);
            }
            return values;
        }
    }

    /**
     * The groups of a window holding {@code count} events, from the tables of its panes oldest
     * first (null where a pane has none); names resolve the groups' ids.
     */
    WindowGroups merge(List<GroupTable> tables, long count, int top, Interner names) {
        byId.clear();
        for (GroupTable t : tables) {
            if (t == null) {
                continue;
            }
            for (int slot = 0; slot < t.size; slot++) {
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
        Map<String, GroupStats> result = new LinkedHashMap<>();
        for (int i = 0; i < named.size(); i++) {
            if (i < top) {
                result.put(named.get(i).name, stats(named.get(i)));
            } else {
                other.add(named.get(i));
            }
        }
        if (other.count > 0) {
            result.put(WindowResult.OTHER, stats(other));
        }
        return new WindowGroups(Collections.unmodifiableMap(result), count - grouped);
    }

    private GroupStats stats(Group g) {
        if (g.valueCount == 0) {
            return new GroupStats(g.count, 0, 0.0, null, null, null, null, null, null);
        }
        double[] p = percentiles.of(g.values, g.valueCount, g.min, g.max);
        return new GroupStats(g.count, g.valueCount, g.sum, g.sum / g.valueCount, g.min, g.max, p[0], p[1], p[2]);
    }
}
