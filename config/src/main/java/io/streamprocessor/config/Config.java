package io.streamprocessor.config;

import io.streamprocessor.config.expr.ExpressionException;
import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.config.pipeline.SinkSpec;
import io.streamprocessor.config.pipeline.SinkTypes;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.window.WindowSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads the configuration: command-line flags over environment variables ({@code SP_*}) over a
 * YAML file ({@code --config FILE} or {@code SP_CONFIG}) over the defaults of {@link Options}.
 * Every mistake stops loading with a {@link ConfigException} whose message names the source and
 * line, the key, the problem and what is allowed. Stateless; call from any thread.
 */
public final class Config {
    static final String CONFIG_VARIABLE = "SP_CONFIG";
    static final String SINKS_VARIABLE = "SP_SINKS";

    private Config() {
    }

    /**
     * The effective configuration for these arguments and environment.
     *
     * @throws ConfigException on any mistake, with a one-line message for a person
     */
    public static LoadedConfig load(String[] args, Map<String, String> environment) {
        return load(args, environment, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #load(String[], Map)}, checking the ring against a heap limit of {@code maxHeapBytes}. */
    static LoadedConfig load(String[] args, Map<String, String> environment, long maxHeapBytes) {
        CommandLine flags = CommandLine.parse(args);
        if (flags.help || flags.version) {
            return LoadedConfig.meta(flags.help, flags.version);
        }
        List<String> warnings = new ArrayList<>();
        Settings settings = new Settings();
        List<Declared.Step> steps = List.of();
        List<Declared.Sink> sinks = List.of();
        Declared.Raw file = flags.config;
        if (file == null && environment.get(CONFIG_VARIABLE) != null) {
            file = new Declared.Raw(environment.get(CONFIG_VARIABLE), Origin.environment(CONFIG_VARIABLE));
        }
        if (file != null) {
            if (file.text().isBlank()) {
                throw new ConfigException(file.origin() + ": the configuration file name is empty");
            }
            YamlSource yaml = YamlSource.read(file.text());
            yaml.values.forEach((o, raw) -> apply(settings, o, raw));
            steps = yaml.steps;
            if (yaml.sinks != null) {
                sinks = yaml.sinks;
            }
        }
        Map<String, String> sorted = new TreeMap<>(environment);
        Declared.Raw envSinks = null;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("SP_") || name.equals(CONFIG_VARIABLE)) {
                continue;
            }
            Declared.Raw raw = new Declared.Raw(e.getValue(), Origin.environment(name));
            if (name.equals(SINKS_VARIABLE)) {
                envSinks = raw;
                continue;
            }
            Option<?> option = byVariable(name);
            if (option == null) {
                // Orchestrators set variables of their own that may start with SP_ (a service named
                // sp gets SP_PORT=tcp://...), so an unknown name is not a reason to refuse to start.
                warnings.add("environment " + name + " is not a setting" + suggestVariable(name) + " (ignored)");
                continue;
            }
            apply(settings, option, raw);
        }
        if (envSinks != null) {
            sinks = sinks(envSinks);
        }
        flags.values.forEach((o, raw) -> apply(settings, o, raw));
        if (flags.sinks != null) {
            sinks = sinks(flags.sinks);
        }
        checkWindow(settings);
        checkRing(settings);
        checkHeap(settings, maxHeapBytes);
        Pipeline pipeline = pipeline(steps, sinks);
        for (Declared.Sink d : sinks) {
            if (d.spec().settings().get("overflow") == io.streamprocessor.connectors.Overflow.JOURNAL
                && !settings.get(Options.JOURNAL_ENABLED)) {
                Origin at = d.settingOrigins().getOrDefault("overflow", d.origin());
                throw ConfigException.at(at, d.key() + ".overflow", "journal needs the journal, and journal.enabled is false; "
                    + "use overflow backpressure or drop, or turn the journal on");
            }
            for (String w : SinkTypes.warnings(d.spec())) {
                warnings.add(d.origin() + ": " + d.key() + "." + w);
            }
        }
        LoadedConfig loaded = new LoadedConfig(settings, pipeline, steps, sinks,
            file == null ? null : file.text(), flags.printConfig, warnings);
        loaded.check();
        return loaded;
    }

    /** Every option, its flag, environment variable, default and meaning, and the file's layout. */
    public static String help() {
        return Help.text();
    }

    /** {@code stream-processor 0.1.0}: the name and the version of the build, for {@code --version}. */
    public static String version() {
        return "stream-processor " + Version.number();
    }

    private static <T> void apply(Settings settings, Option<T> option, Declared.Raw raw) {
        T value;
        try {
            value = option.type().parse(raw.text());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(raw.origin(), option.key(), e.getMessage());
        }
        settings.set(option, value, raw.origin(), raw.text());
    }

    private static Option<?> byVariable(String name) {
        for (Option<?> o : Options.ALL) {
            if (o.environmentVariable().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /**
     * "; did you mean SP_X?" for a name within two edits of a variable, or for a variable whose key
     * ends in the same name ({@code SP_PORT}: {@code SP_SERVER_PORT}); else "".
     */
    private static String suggestVariable(String name) {
        String close = YamlSource.suggest(name, variables());
        if (!close.isEmpty()) {
            return close;
        }
        String tail = "_" + name.substring("SP_".length());
        List<String> endings = new ArrayList<>();
        for (Option<?> o : Options.ALL) {
            if (o.environmentVariable().endsWith(tail)) {
                endings.add(o.environmentVariable());
            }
        }
        return endings.size() == 1 ? "; did you mean " + endings.get(0) + "?" : "";
    }

    private static List<String> variables() {
        List<String> names = new ArrayList<>(List.of(CONFIG_VARIABLE, SINKS_VARIABLE));
        Options.ALL.forEach(o -> names.add(o.environmentVariable()));
        return names;
    }

    /** {@code console,metrics}; empty or {@code none} for no sinks. */
    private static List<Declared.Sink> sinks(Declared.Raw raw) {
        List<Declared.Sink> sinks = new ArrayList<>();
        String text = raw.text().trim();
        if (text.isEmpty() || text.equals("none")) {
            return sinks;
        }
        List<String> types = SinkCatalog.types();
        for (String part : text.split(",")) {
            String type = part.trim();
            if (!types.contains(type)) {
                throw ConfigException.at(raw.origin(), "sinks", "unknown sink type '" + type + "'"
                    + YamlSource.suggest(type, types) + "; allowed: " + String.join(", ", types)
                    + " (comma-separated), or none");
            }
            long same = sinks.stream().filter(d -> d.spec().type().equals(type)).count();
            SinkSpec spec = SinkCatalog.defaults(type, same == 0 ? type : type + "-" + (same + 1));
            if (spec == null) {
                throw ConfigException.at(raw.origin(), "sinks", "a " + type + " sink needs settings; declare it under "
                    + "sinks: in the configuration file (--config)");
            }
            sinks.add(new Declared.Sink(spec, "sinks", raw.origin(), Map.of()));
        }
        return sinks;
    }

    private static void checkWindow(Settings s) {
        Duration size = s.get(Options.WINDOW_SIZE);
        Duration slide = s.get(Options.WINDOW_SLIDE);
        Origin sizeAt = s.origin(Options.WINDOW_SIZE);
        Origin slideAt = s.origin(Options.WINDOW_SLIDE);
        String sizeText = s.text(Options.WINDOW_SIZE);
        String slideText = s.text(Options.WINDOW_SLIDE);
        if (size.toMillis() % slide.toMillis() != 0) {
            if (sizeAt.kind().compareTo(slideAt.kind()) > 0) {
                throw ConfigException.at(sizeAt, "window.size", sizeText + " is not a multiple of window.slide "
                    + slideText + (slideAt.kind() == Origin.Kind.DEFAULT ? " (the default)" : " (" + slideAt + ")")
                    + "; the size must be a whole multiple of the slide");
            }
            boolean sameFile = sizeAt.kind() == Origin.Kind.FILE && slideAt.kind() == Origin.Kind.FILE;
            throw ConfigException.at(slideAt, "window.slide", slideText + " does not divide window.size " + sizeText
                + (sizeAt.kind() == Origin.Kind.DEFAULT ? " (the default)" : sameFile ? "" : " (" + sizeAt + ")")
                + "; the size must be a whole multiple of the slide");
        }
        try {
            new WindowSpec(size.toMillis(), slide.toMillis(), s.get(Options.WINDOW_RETENTION).toMillis());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(slideAt, "window.slide", e.getMessage());
        }
    }

    /** The server takes a batch whole or not at all, so the ring must hold the largest batch. */
    private static void checkRing(Settings s) {
        int ring = s.get(Options.RING_SIZE);
        int batch = s.get(Options.MAX_BATCH_EVENTS);
        if (ring >= batch) {
            return;
        }
        Origin ringAt = s.origin(Options.RING_SIZE);
        Origin batchAt = s.origin(Options.MAX_BATCH_EVENTS);
        int least = Integer.highestOneBit(batch - 1) << 1;
        if (batchAt.kind().compareTo(ringAt.kind()) > 0) {
            throw ConfigException.at(batchAt, "server.max-batch-events", batch + " is larger than processor.ring-size "
                + ring + (ringAt.kind() == Origin.Kind.DEFAULT ? " (the default)" : " (" + ringAt + ")")
                + ": a full batch could never be taken; allowed: at most " + ring + ", or a larger ring");
        }
        throw ConfigException.at(ringAt, "processor.ring-size", ring + " is smaller than server.max-batch-events "
            + batch + (batchAt.kind() == Origin.Kind.DEFAULT ? " (the default)" : " (" + batchAt + ")")
            + ": a full batch could never be taken; allowed: a power of two of at least " + least
            + ", or fewer batch events");
    }

    /**
     * The ring is allocated whole at startup, so a ring the heap cannot hold would end in an
     * OutOfMemoryError. Half the heap is the most it may take: request bodies, windows and the
     * slots' growth with real events need the rest.
     */
    private static void checkHeap(Settings s, long maxHeapBytes) {
        int ring = s.get(Options.RING_SIZE);
        long need = ProcessorSettings.ringHeapBytes(ring);
        if (need <= maxHeapBytes / 2) {
            return;
        }
        int fits = Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE,
            Math.max(1, maxHeapBytes / 2 / ProcessorSettings.EMPTY_SLOT_BYTES)));
        long gib = 1L << 30;
        long heapGib = Math.max(1, (2 * need + gib - 1) / gib);
        Origin at = s.origin(Options.RING_SIZE);
        String problem = ring + (at.kind() == Origin.Kind.DEFAULT ? " (the default)" : "") + " slots need about "
            + mib(need) + " MiB of heap, more than half of the heap limit of " + mib(maxHeapBytes) + " MiB; allowed: "
            + (fits >= 2 ? "at most " + fits + " slots with this heap, or " : "")
            + "a larger heap: -Xmx" + heapGib + "g or more (for bin/stream-processor: JAVA_OPTS=\"-Xmx" + heapGib
            + "g\")";
        if (at.kind() == Origin.Kind.DEFAULT) {
            throw new ConfigException("processor.ring-size: " + problem);
        }
        throw ConfigException.at(at, "processor.ring-size", problem);
    }

    private static long mib(long bytes) {
        return (bytes + (1L << 20) - 1) >> 20;
    }

    private static Pipeline pipeline(List<Declared.Step> steps, List<Declared.Sink> sinks) {
        Pipeline.Builder b = Pipeline.builder();
        for (Declared.Step d : steps) {
            try {
                d.step().check();
            } catch (ExpressionException e) {
                throw ConfigException.at(d.origin(), d.key(), expressionProblem(d.step(), e));
            }
            b.step(d.step());
        }
        sinks.forEach(s -> b.sink(s.spec()));
        return b.build();
    }

    private static String expressionProblem(Pipeline.Step step, ExpressionException e) {
        String text = switch (step.kind()) {
            case SET -> step.expression();
            default -> step.argument();
        };
        if (e.position() == 0) {
            return e.getMessage();
        }
        return e.getMessage() + " (at character " + e.position() + " of \"" + text + "\")";
    }
}
