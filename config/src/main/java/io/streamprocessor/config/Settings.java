package io.streamprocessor.config;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The effective value of every {@link Option} and where it came from. Immutable once loaded;
 * safe to read from any thread.
 */
public final class Settings {
    private record Entry(Object value, Origin origin) { }

    private final Map<Option<?>, Entry> entries = new IdentityHashMap<>();

    Settings() {
        for (Option<?> o : Options.ALL) {
            entries.put(o, new Entry(o.defaultValue(), Origin.DEFAULT));
        }
    }

    /** The defaults alone, as with no file, environment or flags. */
    public static Settings defaults() {
        return new Settings();
    }

    <T> void set(Option<T> option, T value, Origin origin) {
        entries.put(option, new Entry(value, origin));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        return (T) entries.get(option).value();
    }

    public Origin origin(Option<?> option) {
        return entries.get(option).origin();
    }

    /** The value as it would be written in the file, e.g. {@code 60s} or {@code 16MiB}. */
    public <T> String text(Option<T> option) {
        return option.format(get(option));
    }
}
