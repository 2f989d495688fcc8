package io.streamprocessor.config;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The effective value of every {@link Option} and where it came from. Immutable once loaded;
 * safe to read from any thread.
 */
public final class Settings {
    /** {@code text} is what the source said (trimmed), so messages echo the user's own words. */
    private record Entry(Object value, Origin origin, String text) { }

    private final Map<Option<?>, Entry> entries = new IdentityHashMap<>();

    Settings() {
        for (Option<?> o : Options.ALL) {
            entries.put(o, new Entry(o.defaultValue(), Origin.DEFAULT, o.defaultText()));
        }
    }

    /** The defaults alone, as with no file, environment or flags. */
    public static Settings defaults() {
        return new Settings();
    }

    <T> void set(Option<T> option, T value, Origin origin, String text) {
        entries.put(option, new Entry(value, origin, text.trim()));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return (T) entries.get(option).value();
    }

    public Origin origin(Option<?> option) {
        return entries.get(option).origin();
    }

    /** The value as written where it came from, e.g. {@code 60s} or {@code 16MiB}. */
    public String text(Option<?> option) {
        return entries.get(option).text();
    }
}
