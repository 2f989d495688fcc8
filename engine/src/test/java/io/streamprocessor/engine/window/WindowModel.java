package io.streamprocessor.engine.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The naive model {@link WindowStoreReferenceTest} checks {@link WindowStore} against: it keeps
 * the accepted events (until no reported window can hold them) and recomputes each window from
 * scratch, straight from the documented rules. Watermark: the largest accepted timestamp. An event is late when every window
 * holding it is evicted on arrival; a window is reported when it holds an event and its end is
 * after {@code watermark - retention}. Types: each slide interval (pane) counts the first
 * {@code typeLimit} types it sees and counts later new types under {@code _other}; a window adds
 * its panes up, keeps the {@code typeLimit} largest (ties by name) and folds the rest into
 * {@code _other}, listed last. Groups (per type or per source): counted only for events accepted
 * after grouping by that was switched on; each pane gives the first {@code limit} groups it sees
 * a slot and counts later new groups under {@code _other}; a window adds its panes' groups up,
 * names the {@code top} largest by count (ties by name) and folds the rest into {@code _other}.
 */
final class WindowModel {
    /** One event as the model sees it: user is a normalised key or null when not counted; amount null when absent. */
    static final class Event {
        final long t;
        final String type;
        final String source;
        boolean hasValue;
        double value;
        Object user;
        Long amount;
        /** Whether grouping by type, by source, was on when the event was accepted. */
        boolean byType;
        boolean bySource;

        Event(long t, String type, String source) {
            this.t = t;
            this.type = type;
            this.source = source;
        }

        void value(double v) {
            hasValue = true;
            value = v;
        }
    }

    /** A window's exact aggregates. */
    static final class Window {
        final long start;
        final long end;
        long count;
        final List<Double> values = new ArrayList<>();
        final Set<String> sources = new HashSet<>();
        final Set<Object> users = new HashSet<>();
        long amountSum;
        long amountEvents;
        /** Per type as the panes attributed them, then folded: largest first, {@code _other} last. */
        Map<String, Long> types;

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void add(Event e) {
            count++;
            if (e.hasValue) {
                values.add(e.value);
            }
            sources.add(e.source);
            if (e.user != null) {
                users.add(e.user);
            }
            if (e.amount != null) {
                amountSum += e.amount;
                amountEvents++;
            }
        }
    }

    private final long size;
    private final long slide;
    private final long retention;
    private final int typeLimit;
    /** Accepted events that may still be in a reported window, in arrival order. */
    private final List<Event> accepted = new ArrayList<>();
    long watermark = Long.MIN_VALUE;
    int late;
    /** Whether events accepted from now on are grouped by type, by source. */
    boolean groupTypes;
    boolean groupSources;

    /** Whether the last {@link #groups} call folded groups past a pane's limit, past {@code top}. */
    boolean pastPaneLimit;
    boolean pastTop;

    /** One group's exact aggregates in a window. */
    static final class Group {
        long count;
        final List<Double> values = new ArrayList<>();

        void add(Group g) {
            count += g.count;
            values.addAll(g.values);
        }
    }

    WindowModel(WindowSpec spec, int typeLimit) {
        size = spec.sizeMillis();
        slide = spec.slideMillis();
        retention = spec.retentionMillis();
        this.typeLimit = typeLimit;
    }

    boolean add(Event e) {
        if (watermark != Long.MIN_VALUE) {
            boolean allEvicted = true;
            for (long start : windowStartsHolding(e.t)) {
                allEvicted &= start + size <= watermark - retention;
            }
            if (allEvicted) {
                late++;
                return false;
            }
        }
        e.byType = groupTypes;
        e.bySource = groupSources;
        accepted.add(e);
        watermark = Math.max(watermark, e.t);
        return true;
    }

    List<Window> query() {
        // an event whose newest window is evicted is in no window again: the watermark only grows
        accepted.removeIf(e -> Math.floorDiv(e.t, slide) * slide + size <= watermark - retention);
        TreeMap<Long, Window> windows = new TreeMap<>();
        for (Event e : accepted) {
            for (long start : windowStartsHolding(e.t)) {
                long end = start + size;
                if (end > watermark - retention) {
                    windows.computeIfAbsent(start, s -> new Window(s, end)).add(e);
                }
            }
        }
        Map<Long, Map<String, Long>> paneTypes = new HashMap<>();
        Map<Long, Long> paneOther = new HashMap<>();
        for (Event e : accepted) {
            long pane = Math.floorDiv(e.t, slide);
            Map<String, Long> types = paneTypes.computeIfAbsent(pane, p -> new HashMap<>());
            if (types.containsKey(e.type) || types.size() < typeLimit) {
                types.merge(e.type, 1L, Long::sum);
            } else {
                paneOther.merge(pane, 1L, Long::sum);
            }
        }
        for (Window w : windows.values()) {
            Map<String, Long> sum = new HashMap<>();
            long other = 0;
            for (long pane = Math.floorDiv(w.start, slide); pane < Math.floorDiv(w.end, slide); pane++) {
                paneTypes.getOrDefault(pane, Map.of()).forEach((type, n) -> sum.merge(type, n, Long::sum));
                other += paneOther.getOrDefault(pane, 0L);
            }
            List<Map.Entry<String, Long>> entries = new ArrayList<>(sum.entrySet());
            entries.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                : Long.compare(b.getValue(), a.getValue()));
            w.types = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                if (i < typeLimit) {
                    w.types.put(entries.get(i).getKey(), entries.get(i).getValue());
                } else {
                    other += entries.get(i).getValue();
                }
            }
            if (other > 0) {
                w.types.put(WindowResult.OTHER, other);
            }
        }
        return new ArrayList<>(windows.values());
    }

    /**
     * The groups of the window starting at {@code start} (as {@link #query} last kept the
     * events): the {@code top} largest, then {@code _other}; the events in no group are the
     * window's count less the groups' counts.
     */
    Map<String, Group> groups(long start, boolean byType, int limit, int top) {
        pastPaneLimit = false;
        Map<Long, Map<String, Group>> panes = new HashMap<>();
        Map<Long, Group> paneOther = new HashMap<>();
        for (Event e : accepted) {
            if (!(byType ? e.byType : e.bySource) || e.t < start || e.t >= start + size) {
                continue;
            }
            long pane = Math.floorDiv(e.t, slide);
            String name = byType ? e.type : e.source;
            Map<String, Group> groups = panes.computeIfAbsent(pane, p -> new HashMap<>());
            Group g = groups.get(name);
            if (g == null && groups.size() < limit) {
                g = new Group();
                groups.put(name, g);
            } else if (g == null) {
                pastPaneLimit |= name != null;
                g = paneOther.computeIfAbsent(pane, p -> new Group());
            }
            g.count++;
            if (e.hasValue) {
                g.values.add(e.value);
            }
        }
        Map<String, Group> sum = new HashMap<>();
        Group other = new Group();
        panes.values().forEach(groups -> groups.forEach((name, g) -> sum.computeIfAbsent(name, n -> new Group()).add(g)));
        paneOther.values().forEach(other::add);
        List<Map.Entry<String, Group>> entries = new ArrayList<>(sum.entrySet());
        entries.sort((a, b) -> a.getValue().count == b.getValue().count ? a.getKey().compareTo(b.getKey())
            : Long.compare(b.getValue().count, a.getValue().count));
        Map<String, Group> result = new LinkedHashMap<>();
        pastTop = entries.size() > top;
        for (int i = 0; i < entries.size(); i++) {
            if (i < top) {
                result.put(entries.get(i).getKey(), entries.get(i).getValue());
            } else {
                other.add(entries.get(i).getValue());
            }
        }
        if (other.count > 0) {
            result.put(WindowResult.OTHER, other);
        }
        return result;
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
