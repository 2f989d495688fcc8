package io.streamprocessor.engine.window;

import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.aggregate.DistinctCounter;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.Interner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sliding event-time windows by stream slicing: one {@link Pane} per slide interval in a ring
 * that spans retention plus one window, exactly one pane updated per event (O(1) whatever the
 * overlap), and each window built on demand by merging its {@code size/slide} panes; a query
 * merges again only the windows whose panes changed since the previous one (see {@link #query}).
 *
 * <p>Concurrency: {@link #add} is called by the single window-stage thread; {@link #query} by
 * any thread, one at a time. The caller must hold off {@link #add} and other queries while
 * querying (the processor does so with a lock taken once per batch), since panes are mutable
 * and a query updates the results it keeps. Results are immutable and may be handed to later
 * queries again.
 */
public final class WindowStore {
    private final WindowSpec spec;
    private final long slide;
    private final long size;
    private final long retention;
    private final int panesPerWindow;
    private final int typeLimit;
    private final int exactSourceLimit;
    private final int sourceGroupLimit;
    @SuppressWarnings("rawtypes")
    private final Aggregation[] aggregations;
    private final Pane[] panes;
    private final int mask;
    private final PaneMerge.Totals totals = new PaneMerge.Totals();
    private final DistinctIndex sourceIndex;
    /** The newest pane when the distinct index last gave up (too many hashes); not retried before the next. */
    private long indexGaveUpAt = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    /** Events aggregated so far: each stamps the pane it changes. */
    private long modifications;
    /** {@link #modifications} when the last query looked for changed panes. */
    private long checked;
    /**
     * Whether events are counted per type, per source: off until a query first groups by it, so
     * that nobody pays for groups nobody asked for; then on for the life of the store.
     */
    private boolean groupTypes;
    private boolean groupSources;
    private GroupMerge groupMerge;

    /** Sources grouped per pane when not configured; the rest under {@code _other}. */
    public static final int DEFAULT_SOURCE_GROUPS = 100;

    public WindowStore(WindowSpec spec, int typeLimit, int exactSourceLimit, List<Aggregation<?>> aggregations) {
        this(spec, typeLimit, exactSourceLimit, DEFAULT_SOURCE_GROUPS, aggregations);
    }

    /**
     * @param typeLimit        types listed per window, and grouped per pane, the rest under {@code _other}
     * @param sourceGroupLimit sources grouped per pane, the rest under {@code _other}
     */
    public WindowStore(WindowSpec spec, int typeLimit, int exactSourceLimit, int sourceGroupLimit,
                       List<Aggregation<?>> aggregations) {
        this.spec = spec;
        this.slide = spec.slideMillis();
        this.size = spec.sizeMillis();
        this.retention = spec.retentionMillis();
        this.panesPerWindow = spec.panesPerWindow();
        this.typeLimit = typeLimit;
        this.exactSourceLimit = exactSourceLimit;
        this.sourceGroupLimit = sourceGroupLimit;
        this.aggregations = aggregations.toArray(new Aggregation[0]);
        // Live panes p satisfy p*slide + size > watermark - retention and p <= watermark/slide,
        // at most (retention + size)/slide + 1 of them; one more keeps a stale pane from aliasing.
        long live = (retention + size) / slide + 2;
        int capacity = Integer.highestOneBit((int) Math.min(1 << 30, live - 1)) << 1;
        this.panes = new Pane[capacity];
        this.mask = capacity - 1;
        // room for the sources of two windows at the exact limit: past that, most windows are approximate
        this.sourceIndex = new DistinctIndex(panesPerWindow, 2 * exactSourceLimit);
    }

    public WindowSpec spec() {
        return spec;
    }

    /** Largest event time aggregated so far; {@link Long#MIN_VALUE} before the first event. */
    public long watermark() {
        return watermark;
    }

    /**
     * Aggregates one event. Returns false, aggregating nothing, when the event is late: every
     * window containing it has been evicted.
     */
    @SuppressWarnings("unchecked")
    public boolean add(EventView e) {
        long t = e.timestamp();
        long p = Math.floorDiv(t, slide);
        if (watermark != Long.MIN_VALUE && p * slide + size <= watermark - retention) {
            return false;
        }
        if (t > watermark) {
            watermark = t;
        }
        int at = (int) (p & mask);
        Pane pane = panes[at];
        if (pane == null) {
            pane = new Pane(typeLimit, exactSourceLimit, sourceGroupLimit, aggregations);
            panes[at] = pane;
            pane.reset(p, aggregations);
        } else if (pane.index != p) {
            pane.reset(p, aggregations);
        }
        pane.add(e, aggregations);
        if (groupTypes || groupSources) {
            pane.addToGroups(e, groupTypes, groupSources);
        }
        pane.stamp = ++modifications;
        return true;
    }

    /**
     * Every window that holds at least one event and is not evicted, by start ascending.
     *
     * <p>Merges only what changed since the previous query. A window's result is kept (in the
     * pane it starts at) and returned again while none of its panes changed. The windows holding
     * the newest pane are rebuilt together by one merge from the newest pane down, each taking
     * its result on the way; any other window that changed (a late event reached one of its
     * panes) is merged again from its panes. Distinct sources come from a {@link DistinctIndex}
     * for windows ending at one of its newest panes, and from merging the panes' counters
     * otherwise. Every result is exactly what {@link #queryUncached} computes from the same panes.
     *
     * @param types resolves type ids to names; always the same interner (kept results keep the names)
     */
    public List<WindowResult> query(Interner types) {
        return query(types, null, WindowQuery.ALL);
    }

    /**
     * The windows {@code q} selects, as {@link #query(Interner)} computes them, by start
     * ascending; windows outside its range are not built. When {@code q} groups, each result
     * carries its groups, merged afresh from its panes; the first query grouping by types (or
     * sources) starts counting per group, so events aggregated before it are in no group
     * ({@link WindowGroups#ungrouped}).
     *
     * @param sources resolves source ids to names; needed only to group by source
     */
    public List<WindowResult> query(Interner types, Interner sources, WindowQuery q) {
        if (q.groupBy() == WindowQuery.GroupBy.TYPE) {
            groupTypes = true;
        } else if (q.groupBy() == WindowQuery.GroupBy.SOURCE) {
            if (sources == null) {
                throw new IllegalArgumentException("grouping by source needs the source names");
            }
            groupSources = true;
        }
        if (watermark == Long.MIN_VALUE || q.to() == Long.MIN_VALUE) {
            return Collections.emptyList();
        }
        long first = firstLiveWindow();
        long last = Math.floorDiv(watermark, slide);
        // window k starts at k * slide: within [from, to) for k from ceil(from / S) to floor((to - 1) / S)
        long lo = q.from() == Long.MIN_VALUE ? first : Math.max(first, Math.floorDiv(q.from() - 1, slide) + 1);
        long hi = Math.min(last, Math.floorDiv(q.to() - 1, slide));
        if (modifications != checked) {
            refresh(first, last);
            checked = modifications;
        }
        long oldestOpen = Math.max(first, last - panesPerWindow + 1);
        long oldestStale = Long.MAX_VALUE;
        for (long k = last; k >= oldestOpen; k--) {
            if (!startPane(k).windowCurrent) {
                oldestStale = k;
            }
        }
        if (oldestStale != Long.MAX_VALUE && hi >= oldestStale) {
            rebuildOpen(oldestStale, last, types);
        }
        if (hi < lo) {
            return Collections.emptyList();
        }
        if (q.limit() == Integer.MAX_VALUE) {
            rebuildClosedRun(lo, Math.min(hi, oldestOpen - 1), types);
            List<WindowResult> results = new ArrayList<>((int) (hi - lo + 1));
            for (long k = lo; k <= hi; k++) {
                add(results, k, types);
            }
            return q.groupBy() == null ? results : grouped(results, q, types, sources);
        }
        // the newest first, down to the limit, then back in start order
        List<WindowResult> results = new ArrayList<>((int) Math.min(q.limit(), hi - lo + 1));
        for (long k = hi; k >= lo && results.size() < q.limit(); k--) {
            add(results, k, types);
        }
        Collections.reverse(results);
        return q.groupBy() == null ? results : grouped(results, q, types, sources);
    }

    /** Adds window k, built if its kept result is stale, unless it holds no event. */
    private void add(List<WindowResult> results, long k, Interner types) {
        Pane pane = startPane(k);
        if (!pane.windowCurrent) {
            pane.window = rebuildClosed(k, types);
            pane.windowCurrent = true;
        }
        if (pane.window != null) {
            results.add(pane.window);
        }
    }

    /** The windows with their groups, merged from their panes' group tables. */
    private List<WindowResult> grouped(List<WindowResult> windows, WindowQuery q, Interner types, Interner sources) {
        if (groupMerge == null) {
            groupMerge = new GroupMerge();
        }
        boolean byType = q.groupBy() == WindowQuery.GroupBy.TYPE;
        return groupMerge.attach(windows, slide, panesPerWindow, this::existing, byType, q.top(), byType ? types : sources);
    }

    /**
     * Every window recomputed from all its panes, ignoring (and leaving alone) the results
     * {@link #query} keeps: what a query cost before it kept them. For tests and benchmarks,
     * which compare the two; same results, same caller contract as {@link #query}.
     */
    public List<WindowResult> queryUncached(Interner types) {
        if (watermark == Long.MIN_VALUE) {
            return Collections.emptyList();
        }
        long last = Math.floorDiv(watermark, slide);
        List<WindowResult> results = new ArrayList<>();
        for (long k = firstLiveWindow(); k <= last; k++) {
            WindowResult r = mergeWindow(k, types);
            if (r != null) {
                results.add(r);
            }
        }
        return results;
    }

    /**
     * How many windows {@link #query} would return, without building them: those not evicted that
     * hold at least one event. Same concurrency contract as {@link #query}.
     */
    public int windowCount() {
        if (watermark == Long.MIN_VALUE) {
            return 0;
        }
        long firstWindow = Math.floorDiv(watermark - retention - size, slide) + 1;
        long lastWindow = Math.floorDiv(watermark, slide);
        int n = 0;
        for (long k = firstWindow; k <= lastWindow; k++) {
            for (long p = k; p < k + panesPerWindow; p++) {
                Pane pane = panes[(int) (p & mask)];
                if (pane != null && pane.index == p && pane.count > 0) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** The oldest window not evicted: {@code end > watermark - retention}. */
    private long firstLiveWindow() {
        return Math.floorDiv(watermark - retention - size, slide) + 1;
    }

    /**
     * Takes in the panes changed since the last query: folds them into the distinct index and
     * marks stale every kept result of a window holding one (window k holds panes k to
     * k + W/S - 1). One pass from the newest pane down.
     */
    private void refresh(long first, long last) {
        sourceIndex.advance(last);
        boolean changedAbove = false;
        long oldestChanged = 0;
        for (long k = last; k >= first; k--) {
            Pane pane = panes[(int) (k & mask)];
            if (pane == null || pane.index != k) {
                continue;
            }
            if (pane.stamp > checked) {
                changedAbove = true;
                oldestChanged = k;
                sourceIndex.fold(k, pane.sources);
            }
            if (changedAbove && oldestChanged - k < panesPerWindow) {
                pane.windowCurrent = false;
            }
        }
        if (!sourceIndex.valid() && last != indexGaveUpAt) {
            // first query, or too many hashes last time: try again once per newest pane
            sourceIndex.clear(last);
            for (long p = Math.max(first, sourceIndex.oldestPane()); p <= last; p++) {
                Pane pane = existing(p);
                if (pane != null) {
                    sourceIndex.fold(p, pane.sources);
                }
            }
            indexGaveUpAt = sourceIndex.valid() ? Long.MIN_VALUE : last;
        }
    }

    /**
     * Rebuilds the windows holding the newest pane, from {@code oldest} up: window k holds panes
     * k to {@code last}, so one merge from the newest pane down passes through every one of them.
     */
    private void rebuildOpen(long oldest, long last, Interner types) {
        PaneMerge merge = newMerge();
        boolean indexed = sourceIndex.counts(last) && allExact(oldest, last);
        DistinctCounter merged = indexed ? null : new DistinctCounter(exactSourceLimit);
        long distinct = 0;
        for (long k = last; k >= oldest; k--) {
            Pane pane = startPane(k);
            if (pane.count > 0) {
                merge.add(pane);
                if (merged != null) {
                    merged.mergeFrom(pane.sources);
                }
            }
            if (indexed) {
                distinct += sourceIndex.tally(last, k);
            }
            if (!pane.windowCurrent) {
                if (!indexed) {
                    pane.window = build(k, merge, merged.estimate(), merged.isApproximate(), types);
                } else if (distinct <= exactSourceLimit) {
                    pane.window = build(k, merge, distinct, false, types);
                } else {
                    // past the exact limit the count is the counters' estimate
                    pane.window = mergeWindow(k, types);
                }
                pane.windowCurrent = true;
            }
        }
    }

    /** Window k, which does not hold the newest pane, merged again from its panes. */
    private WindowResult rebuildClosed(long k, Interner types) {
        long end = k + panesPerWindow - 1;
        if (!sourceIndex.counts(end) || !allExact(k, end)) {
            return mergeWindow(k, types);
        }
        return withDistinct(k, sourceIndex.count(k, end), types);
    }

    /**
     * Rebuilds, in one ascending sweep, the stale windows from {@code lo} to {@code hi} (none
     * holding the newest pane) whose distinct sources the index does not count: the ones a
     * query that rebuilds everything (the first one, or one after a long pause) would otherwise
     * merge from all their panes, source sets included, one window at a time. Their distinct
     * sources come from a {@link SlidingSources}, which reads each pane's sources about twice
     * instead of W/S times; the rest of each window is merged from its panes as always, and a
     * window the sliding count cannot count exactly is merged whole. Same results as
     * {@link #rebuildClosed}. Nothing to gain with one pane per window.
     */
    private void rebuildClosedRun(long lo, long hi, Interner types) {
        if (panesPerWindow == 1) {
            return;
        }
        SlidingSources sliding = null;
        for (long k = lo; k <= hi; k++) {
            if (!needsFullMerge(k)) {
                continue;
            }
            if (sliding == null) {
                sliding = new SlidingSources(panesPerWindow, 2 * exactSourceLimit);
            }
            sliding.moveTo(k, this::sourcesOf);
            Pane pane = startPane(k);
            pane.window = sliding.exact() ? withDistinct(k, sliding.count(), types) : mergeWindow(k, types);
            pane.windowCurrent = true;
        }
    }

    /** Whether window k is stale and {@link #rebuildClosed} would merge it whole: the index does not count it. */
    private boolean needsFullMerge(long k) {
        return !startPane(k).windowCurrent && !sourceIndex.counts(k + panesPerWindow - 1);
    }

    private DistinctCounter sourcesOf(long p) {
        Pane pane = existing(p);
        return pane == null ? null : pane.sources;
    }

    /**
     * Window k merged from its panes, given its exact distinct source count; merged whole
     * instead when that count is past the exact limit. Null when it holds no event.
     */
    private WindowResult withDistinct(long k, long distinct, Interner types) {
        if (distinct > exactSourceLimit) {
            return mergeWindow(k, types);
        }
        PaneMerge merge = null;
        for (long p = k + panesPerWindow - 1; p >= k; p--) {
            Pane pane = existing(p);
            if (pane != null) {
                if (merge == null) {
                    merge = newMerge();
                }
                merge.add(pane);
            }
        }
        return merge == null ? null : build(k, merge, distinct, false, types);
    }

    /** Window k merged from its panes, newest first, distinct sources included; null when it holds no event. */
    private WindowResult mergeWindow(long k, Interner types) {
        PaneMerge merge = null;
        DistinctCounter sources = null;
        for (long p = k + panesPerWindow - 1; p >= k; p--) {
            Pane pane = existing(p);
            if (pane != null) {
                if (merge == null) {
                    merge = newMerge();
                    sources = new DistinctCounter(exactSourceLimit);
                }
                merge.add(pane);
                sources.mergeFrom(pane.sources);
            }
        }
        return merge == null ? null : build(k, merge, sources.estimate(), sources.isApproximate(), types);
    }

    /**
     * Window k's result from a merge of exactly its panes and its distinct sources, with the
     * totals added up oldest pane first; null when the window holds no event.
     */
    private WindowResult build(long k, PaneMerge merge, long distinct, boolean approximate, Interner types) {
        totals.clear();
        for (long p = k; p < k + panesPerWindow; p++) {
            Pane pane = existing(p);
            if (pane != null) {
                totals.add(pane);
            }
        }
        if (totals.count == 0) {
            return null;
        }
        long start = k * slide;
        return merge.result(start, start + size, totals, distinct, approximate, types);
    }

    /** Whether every pane from {@code from} to {@code to} that holds events counts its sources exactly. */
    private boolean allExact(long from, long to) {
        for (long p = from; p <= to; p++) {
            Pane pane = existing(p);
            if (pane != null && pane.sources.isApproximate()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The pane window k starts at, which keeps that window's result; made (empty) when no event
     * has reached pane k, reusing a slot whose pane is older than every live window.
     */
    private Pane startPane(long k) {
        int at = (int) (k & mask);
        Pane pane = panes[at];
        if (pane == null) {
            pane = new Pane(typeLimit, exactSourceLimit, sourceGroupLimit, aggregations);
            panes[at] = pane;
            pane.reset(k, aggregations);
        } else if (pane.index != k) {
            pane.reset(k, aggregations);
        }
        return pane;
    }

    /** Pane p if some event reached it, else null. */
    private Pane existing(long p) {
        Pane pane = panes[(int) (p & mask)];
        return pane != null && pane.index == p && pane.count > 0 ? pane : null;
    }

    private PaneMerge newMerge() {
        return new PaneMerge(typeLimit, aggregations);
    }
}
