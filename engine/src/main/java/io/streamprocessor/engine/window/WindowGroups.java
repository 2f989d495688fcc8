package io.streamprocessor.engine.window;

import java.util.Map;

/**
 * A window's aggregates per group, as a grouped query answers them. Immutable.
 *
 * @param groups    the largest groups by count (ties by name), then {@code _other} (the rest,
 *                  and groups past the per-pane bound) when it holds any event
 * @param ungrouped events of the window aggregated before grouping by this was first asked
 *                  for, so in no group; 0 once every event of the window came after
 */
public record WindowGroups(Map<String, GroupStats> groups, long ungrouped) {
}
