package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.engine.journal.JournalSettings;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Config#load}: either a request for help or the version, or the effective
 * settings with where each came from, the declared pipeline, warnings to show, and a factory for
 * the processor the launcher starts. Immutable.
 */
public final class LoadedConfig {
    private final Settings settings;
    private final Pipeline pipeline;
    private final List<Declared.Step> steps;
    private final List<Declared.Sink> sinks;
    private final String file;
    private final boolean help;
    private final boolean version;
    private final boolean printConfig;
    private final List<String> warnings;

    LoadedConfig(Settings settings, Pipeline pipeline, List<Declared.Step> steps, List<Declared.Sink> sinks,
                 String file, boolean printConfig, List<String> warnings) {
        this(settings, pipeline, steps, sinks, file, false, false, printConfig, warnings);
    }

    private LoadedConfig(Settings settings, Pipeline pipeline, List<Declared.Step> steps, List<Declared.Sink> sinks,
                         String file, boolean help, boolean version, boolean printConfig, List<String> warnings) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.steps = List.copyOf(steps);
        this.sinks = List.copyOf(sinks);
        this.file = file;
        this.help = help;
        this.version = version;
        this.printConfig = printConfig;
        this.warnings = List.copyOf(warnings);
    }

    /** {@code --help} or {@code --version}: nothing else was read. */
    static LoadedConfig meta(boolean help, boolean version) {
        return new LoadedConfig(Settings.defaults(), Pipeline.empty(), List.of(), List.of(), null, help, version, false,
            List.of());
    }

    /** {@code --help} was given: print {@link Config#help()} and exit; nothing else was read. */
    public boolean helpRequested() {
        return help;
    }

    /** {@code --version} was given: print {@link Config#version()} and exit; nothing else was read. */
    public boolean versionRequested() {
        return version;
    }

    /** {@code --print-config} was given: print {@link #describe()} and exit. */
    public boolean printConfigRequested() {
        return printConfig;
    }

    /** Every setting's effective value and origin; the server's settings are built from these. */
    public Settings settings() {
        return settings;
    }

    /** The declared steps and sinks. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The configuration file read, if any. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Things a person should know that do not stop startup, one line each without a prefix, e.g.
     * {@code environment SP_PORT is not a setting; did you mean SP_SERVER_PORT? (ignored)}.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * A processor builder with every setting, the pipeline's filters and transforms and new sinks.
     * Each call compiles the pipeline afresh, so each processor gets its own evaluators and sinks.
     */
    public ProcessorSettings.Builder processorBuilder() {
        return pipeline.applyTo(engineBuilder());
    }

    /** The engine's settings, without the pipeline. */
    private ProcessorSettings.Builder engineBuilder() {
        Settings s = settings;
        return StreamProcessor.builder()
            .window(s.get(Options.WINDOW_SIZE), s.get(Options.WINDOW_SLIDE))
            .retention(s.get(Options.WINDOW_RETENTION))
            .ringSize(s.get(Options.RING_SIZE))
            .topology(s.get(Options.TOPOLOGY))
            .waitStrategy(s.get(Options.WAIT_STRATEGY))
            .maxStageBatch(s.get(Options.MAX_STAGE_BATCH))
            .drainTimeout(s.get(Options.DRAIN_TIMEOUT))
            .valuePath(s.get(Options.VALUE_PATH))
            .maxFutureSkew(s.get(Options.MAX_FUTURE_SKEW))
            .unknownFields(s.get(Options.UNKNOWN_FIELDS))
            .maxDepth(s.get(Options.MAX_DEPTH))
            .maxFields(s.get(Options.MAX_FIELDS))
            .maxDataTokens(s.get(Options.MAX_DATA_TOKENS))
            .maxDataSize(Math.toIntExact(s.get(Options.MAX_DATA_SIZE)))
            .typesPerWindow(s.get(Options.TYPES_PER_WINDOW))
            .maxTypes(s.get(Options.MAX_TYPES))
            .maxSources(s.get(Options.MAX_SOURCES))
            .maxMetricKeys(s.get(Options.MAX_METRIC_KEYS))
            .exactDistinctSources(s.get(Options.EXACT_DISTINCT_SOURCES))
            .sourceGroupsPerWindow(s.get(Options.SOURCE_GROUPS_PER_WINDOW))
            .journal(journal());
    }

    /** The journal's settings, or null when {@code journal.enabled} is false. */
    public JournalSettings journal() {
        Settings s = settings;
        if (!s.get(Options.JOURNAL_ENABLED)) {
            return null;
        }
        return new JournalSettings(Path.of(s.get(Options.JOURNAL_DIR)), s.get(Options.JOURNAL_FSYNC),
            s.get(Options.JOURNAL_FSYNC_INTERVAL).toMillis(), s.get(Options.JOURNAL_SEGMENT_SIZE),
            s.get(Options.JOURNAL_ON_CORRUPTION));
    }

    /** Builds the engine settings once, so a value the engine refuses stops startup here, not later. */
    void check() {
        try {
            // Without the sinks: their settings were checked as they were read, and making them costs buffers.
            pipeline.applyStepsTo(engineBuilder()).settings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage());
        }
    }

    /**
     * The effective configuration as a YAML file that loads to the same settings, each value
     * followed by where it came from.
     */
    public String describe() {
        return ConfigPrinter.print(this, steps, sinks);
    }
}
