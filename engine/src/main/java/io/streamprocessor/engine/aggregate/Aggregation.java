package io.streamprocessor.engine.aggregate;

import io.streamprocessor.engine.event.EventView;

/**
 * A custom per-window aggregation. The window stage keeps one state per pane (slide interval),
 * calls {@link #accumulate} for each processed event of that pane, and builds a window's result
 * by {@link #merge merging} its panes' states into a fresh one, so the state must be mergeable
 * (counts, sums, sets and sketches are; medians of medians are not).
 *
 * <p>Concurrency: {@link #accumulate} and {@link #reset} run on the window stage's thread;
 * {@link #merge} and {@link #result} run on a querying thread while the window stage is held
 * off, so implementations need no synchronisation of their own. {@link #accumulate} is on the
 * hot path and should not allocate.
 *
 * @param <S> the mutable per-pane state
 */
public interface Aggregation<S> {
    /** The key of this aggregation's result in each window entry. */
    String name();

    S createState();

    void accumulate(S state, EventView event);

    /** Adds {@code source}'s contents to {@code target}; {@code source} is left unchanged. */
    void merge(S target, S source);

    /** Empties a state so its pane can be reused for a later slide interval. */
    void reset(S state);

    /**
     * The window's value: a Number, String, Boolean, null, or a Map / List of those. A new value,
     * not the state or a view of it: the state may be merged into further for a longer window
     * after its result is taken, and results are kept and handed to later queries.
     */
    Object result(S merged);
}
