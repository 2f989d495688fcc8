package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.pipeline.WaitStrategyType;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Config#load}: either a request for help, or the effective settings with
 * where each came from, the declared pipeline, and factories for what the launcher starts.
 * Immutable.
 */
public final class LoadedConfig {
    private final Settings settings;
    private final Pipeline pipeline;
    private final List<Declared.Step> steps;
    private final List<Declared.Sink> sinks;
    private final String file;
    private final boolean help;
    private final boolean printConfig;

    LoadedConfig(Settings settings, Pipeline pipeline, List<Declared.Step> steps, List<Declared.Sink> sinks,
                 String file, boolean printConfig) {
        this(settings, pipeline, steps, sinks, file, false, printConfig);
    }

    private LoadedConfig(Settings settings, Pipeline pipeline, List<Declared.Step> steps, List<Declared.Sink> sinks,
                         String file, boolean help, boolean printConfig) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.steps = List.copyOf(steps);
        this.sinks = List.copyOf(sinks);
        this.file = file;
        this.help = help;
        this.printConfig = printConfig;
    }

    static LoadedConfig help() {
        return new LoadedConfig(Settings.defaults(), Pipeline.empty(), List.of(), List.of(), null, true, false);
    }

    /** {@code --help} was given: print {@link Config#help()} and exit; nothing else was read. */
    public boolean helpRequested() {
        return help;
    }

    /** {@code --print-config} was given: print {@link #describe()} and exit. */
    public boolean printConfigRequested() {
        return printConfig;
    }

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

    public ServerValues server() {
        return ServerValues.of(settings);
    }

    /**
     * A processor builder with every setting, the pipeline's filters and transforms and new sinks.
     * Each call compiles the pipeline afresh, so each processor gets its own evaluators and sinks.
     */
    public ProcessorSettings.Builder processorBuilder() {
        Settings s = settings;
        ProcessorSettings.Builder b = StreamProcessor.builder()
            .window(s.get(Options.WINDOW_SIZE), s.get(Options.WINDOW_SLIDE))
            .retention(s.get(Options.WINDOW_RETENTION))
            .ringSize(s.get(Options.RING_SIZE))
            .maxBatchSize(s.get(Options.MAX_BATCH_SIZE))
            .drainTimeout(s.get(Options.DRAIN_TIMEOUT))
            .maxFutureSkew(s.get(Options.MAX_FUTURE_SKEW))
            .valuePath(s.get(Options.VALUE_PATH))
            .allowUnknownFields(s.get(Options.UNKNOWN_FIELDS).equals("allow"))
            .maxDataDepth(s.get(Options.MAX_DEPTH))
            .maxDataFields(s.get(Options.MAX_FIELDS))
            .maxDataSize(s.get(Options.MAX_DATA_TOKENS), Math.toIntExact(s.get(Options.MAX_DATA_SIZE)))
            .typeLimit(s.get(Options.TYPES_PER_WINDOW))
            .maxInterned(s.get(Options.MAX_TYPES), s.get(Options.MAX_SOURCES))
            .maxMetricKeys(s.get(Options.MAX_METRIC_KEYS))
            .exactDistinctLimit(s.get(Options.EXACT_DISTINCT_SOURCES));
        switch (s.get(Options.TOPOLOGY)) {
            case "inline" -> b.topology(Topology.INLINE);
            case "single" -> b.topology(Topology.SINGLE);
            case "fused" -> b.topology(Topology.FUSED);
            case "per-stage" -> b.topology(Topology.PER_STAGE);
            default -> { }
        }
        switch (s.get(Options.WAIT_STRATEGY)) {
            case "blocking" -> b.waitStrategy(WaitStrategyType.BLOCKING);
            case "sleeping" -> b.waitStrategy(WaitStrategyType.SLEEPING);
            case "yielding" -> b.waitStrategy(WaitStrategyType.YIELDING);
            case "busy-spin" -> b.waitStrategy(WaitStrategyType.BUSY_SPIN);
            default -> { }
        }
        return pipeline.applyTo(b);
    }

    /** Builds the engine settings once, so a value the engine refuses stops startup here, not later. */
    void check() {
        try {
            processorBuilder().settings();
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
