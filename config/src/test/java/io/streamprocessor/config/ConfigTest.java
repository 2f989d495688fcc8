package io.streamprocessor.config;

import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.engine.pipeline.UnknownFields;
import io.streamprocessor.engine.pipeline.WaitStrategyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sources and their precedence, provenance, print-config and help. */
class ConfigTest {
    @TempDir
    Path dir;

    private String file(String yaml) throws IOException {
        Path p = dir.resolve("stream-processor.yaml");
        Files.writeString(p, yaml);
        return p.toString();
    }

    @Test
    void noFileNoEnvironmentNoFlagsGivesTheDefaultsOfTheApi() {
        LoadedConfig c = Config.load(new String[0], Map.of());
        Settings server = c.settings();
        assertEquals("127.0.0.1", server.get(Options.HOST));
        assertEquals(8000, server.get(Options.PORT));
        assertEquals(16L << 20, server.get(Options.MAX_BODY_SIZE));
        assertEquals(10_000, server.get(Options.MAX_BATCH_EVENTS));
        ProcessorSettings p = c.processorBuilder().settings();
        assertEquals(60_000, p.window().sizeMillis());
        assertEquals(10_000, p.window().slideMillis());
        assertEquals(300_000, p.window().retentionMillis());
        assertEquals(3_600_000, p.maxFutureSkewMillis());
        assertEquals(16, p.maxDepth());
        assertEquals(256, p.maxFields());
        assertEquals(1000, p.typesPerWindow());
        assertEquals(UnknownFields.REJECT, p.unknownFields());
        assertEquals(ProcessorSettings.defaults().ringSize(), p.ringSize());
        assertEquals(Topology.forCores(Runtime.getRuntime().availableProcessors()), p.topology());
        assertTrue(p.filters().isEmpty() && p.transforms().isEmpty() && p.sinks().isEmpty());
        for (Option<?> o : Options.ALL) {
            assertEquals(Origin.DEFAULT, c.settings().origin(o), o.key());
        }
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws IOException {
        String f = file("""
            server:
              port: 9001
              host: 0.0.0.0
            window:
              size: 2m
              slide: 20s
            """);
        Map<String, String> env = Map.of("SP_SERVER_PORT", "9002", "SP_WINDOW_SIZE", "4m", "HOME", "/root");
        LoadedConfig c = Config.load(new String[] {"--config", f, "--port", "9003"}, env);
        Settings s = c.settings();
        assertEquals(9003, s.get(Options.PORT));
        assertEquals(new Origin(Origin.Kind.FLAG, "--port", 0), s.origin(Options.PORT));
        assertEquals(Duration.ofMinutes(4), s.get(Options.WINDOW_SIZE));
        assertEquals("environment SP_WINDOW_SIZE", s.origin(Options.WINDOW_SIZE).toString());
        assertEquals("0.0.0.0", s.get(Options.HOST));
        assertEquals(f + ":3", s.origin(Options.HOST).toString());
        assertEquals(Duration.ofSeconds(20), s.get(Options.WINDOW_SLIDE));
        assertEquals(f + ":6", s.origin(Options.WINDOW_SLIDE).toString());
        assertEquals(Duration.ofMinutes(5), s.get(Options.WINDOW_RETENTION));
        assertEquals(Origin.DEFAULT, s.origin(Options.WINDOW_RETENTION));

        LoadedConfig withoutFlag = Config.load(new String[] {"--config", f}, env);
        assertEquals(9002, withoutFlag.settings().get(Options.PORT));
        LoadedConfig fileOnly = Config.load(new String[] {"--config", f}, Map.of());
        assertEquals(9001, fileOnly.settings().get(Options.PORT));
    }

    @Test
    void everyOptionHasALongFlagAnEnvironmentVariableAndAFileKey() throws IOException {
        for (Option<?> o : Options.ALL) {
            String text = o.defaultText();
            assertEquals(Origin.Kind.FLAG, Config.load(new String[] {o.flag() + "=" + text}, Map.of())
                .settings().origin(o).kind(), o.key());
            assertEquals(Origin.Kind.ENVIRONMENT, Config.load(new String[0], Map.of(o.environmentVariable(), text))
                .settings().origin(o).kind(), o.key());
            String f = file(o.section() + ":\n  " + o.name() + ": \"" + text + "\"\n");
            assertEquals(Origin.Kind.FILE, Config.load(new String[] {"--config", f}, Map.of())
                .settings().origin(o).kind(), o.key());
        }
    }

    @Test
    void theFileCanComeFromTheEnvironmentAndTheFlagWins() throws IOException {
        String f = file("server:\n  port: 7001\n");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "server:\n  port: 7002\n");
        assertEquals(7001, Config.load(new String[0], Map.of("SP_CONFIG", f)).settings().get(Options.PORT));
        assertEquals(7002, Config.load(new String[] {"--config=" + other}, Map.of("SP_CONFIG", f))
            .settings().get(Options.PORT));
    }

    @Test
    void sinksFromTheFileAreReplacedByEnvironmentAndFlags() throws IOException {
        String f = file("sinks:\n  - type: console\n  - metrics\n");
        assertEquals(List.of("console", "metrics"),
            types(Config.load(new String[] {"--config", f}, Map.of())));
        assertEquals(List.of("metrics"),
            types(Config.load(new String[] {"--config", f}, Map.of("SP_SINKS", "metrics"))));
        assertEquals(List.of(),
            types(Config.load(new String[] {"--config", f, "--sinks", "none"}, Map.of("SP_SINKS", "metrics"))));
    }

    @Test
    void valuesAreMappedOntoTheEngine() {
        LoadedConfig c = Config.load(new String[] {
            "--processor.topology", "fused", "--processor.wait-strategy", "blocking", "--processor.ring-size", "1024",
            "--server.max-batch-events", "1000",
            "--events.unknown-fields", "allow", "--events.value-path", "data.latency.ms", "--window.size", "1h",
            "--window.slide", "15m", "--cardinality.types-per-window", "5", "--events.max-future-skew", "90s",
            "--processor.max-stage-batch", "64", "--events.max-depth", "7", "--events.max-fields", "9",
            "--events.max-data-tokens", "100", "--events.max-data-size", "4KiB", "--cardinality.max-types", "11",
            "--cardinality.max-sources", "12", "--cardinality.max-metric-keys", "13",
            "--cardinality.exact-distinct-sources", "14", "--processor.drain-timeout", "2s",
            "--cardinality.source-groups-per-window", "15"},
            Map.of());
        ProcessorSettings p = c.processorBuilder().settings();
        assertEquals(Topology.FUSED, p.topology());
        assertEquals(WaitStrategyType.BLOCKING, p.waitStrategy());
        assertEquals(1024, p.ringSize());
        assertEquals(UnknownFields.ALLOW, p.unknownFields());
        assertEquals("data.latency.ms", p.valuePath());
        assertEquals(3_600_000, p.window().sizeMillis());
        assertEquals(900_000, p.window().slideMillis());
        assertEquals(5, p.typesPerWindow());
        assertEquals(90_000, p.maxFutureSkewMillis());
        assertEquals(64, p.maxStageBatch());
        assertEquals(7, p.maxDepth());
        assertEquals(9, p.maxFields());
        assertEquals(100, p.maxDataTokens());
        assertEquals(4096, p.maxDataBytes());
        assertEquals(11, p.maxTypes());
        assertEquals(12, p.maxSources());
        assertEquals(13, p.maxMetricKeys());
        assertEquals(14, p.exactDistinctSources());
        assertEquals(15, p.sourceGroupsPerWindow());
        assertEquals(2_000, p.drainTimeoutMillis());

        ProcessorSettings auto = Config.load(new String[] {"--processor.topology", "auto"}, Map.of())
            .processorBuilder().settings();
        assertEquals(Topology.forCores(Runtime.getRuntime().availableProcessors()), auto.topology());
    }

    @Test
    void sizesDurationsAndAutoAreReadInTheirUnits() {
        Settings s = Config.load(new String[] {"--server.max-body-size", "2MB", "--server.max-buffered-body", "1GiB",
            "--server.request-timeout", "1500ms", "--event-loops", "auto", "--processor.ring-size", "65_536"},
            Map.of()).settings();
        assertEquals(2_000_000L, s.get(Options.MAX_BODY_SIZE));
        assertEquals(1L << 30, s.get(Options.MAX_BUFFERED_BODY));
        assertEquals(Duration.ofMillis(1500), s.get(Options.REQUEST_TIMEOUT));
        assertEquals(0, s.get(Options.EVENT_LOOPS));
        assertEquals("auto", s.text(Options.EVENT_LOOPS));
        assertEquals(65_536, s.get(Options.RING_SIZE));
    }

    @Test
    void printConfigShowsEveryValueAndWhereItCameFromAndLoadsBackToTheSameSettings() throws IOException {
        String f = file("""
            window:
              size: 30s
              slide: 5s
            pipeline:
              - filter: 'type == "metric" && data.value > 0'
              - set: { normalized: data.value / 100 }
              - rename: { a: b }
              - remove: [c]
              - drop: data.level == "debug"
            sinks:
              - metrics
              - type: kafka
                bootstrap-servers: broker-1:9092,broker-2:9092
                topic: clicks
                key: type
                overflow: drop
                flush-interval: 250ms
                producer:
                  linger.ms: 20
                  compression.type: zstd
              - type: postgres
                url: jdbc:postgresql://db:5432/app
                table: analytics.events
            """);
        LoadedConfig c = Config.load(new String[] {"--config", f, "--print-config", "--port", "9100"},
            Map.of("SP_WINDOW_RETENTION", "1h"));
        assertTrue(c.printConfigRequested());
        String out = c.describe();
        for (Option<?> o : Options.ALL) {
            assertTrue(out.contains("  " + o.name() + ": "), o.key());
        }
        assertTrue(out.contains("port: 9100"), out);
        assertTrue(out.matches("(?s).*port: 9100 +# flag --port\n.*"), out);
        assertTrue(out.matches("(?s).*retention: 1h +# environment SP_WINDOW_RETENTION\n.*"), out);
        assertTrue(out.matches("(?s).*size: 30s +# " + java.util.regex.Pattern.quote(f) + ":2\n.*"), out);
        assertTrue(out.matches("(?s).*host: 127.0.0.1 +# default\n.*"), out);
        assertTrue(out.contains("- filter: \"type == \\\"metric\\\" && data.value > 0\""), out);
        assertTrue(out.matches("(?s).*topic: clicks +# " + java.util.regex.Pattern.quote(f) + ":\\d+\n.*"), out);
        assertTrue(out.matches("(?s).*retry-max: 30s +# default\n.*"), out);

        Path printed = dir.resolve("printed.yaml");
        Files.writeString(printed, out);
        LoadedConfig again = Config.load(new String[] {"--config", printed.toString()}, Map.of());
        for (Option<?> o : Options.ALL) {
            assertEquals(c.settings().text(o), again.settings().text(o), o.key());
        }
        assertEquals(c.pipeline().steps(), again.pipeline().steps());
        assertEquals(c.pipeline().sinks(), again.pipeline().sinks());
        assertEquals(java.util.Map.of("linger.ms", "20", "compression.type", "zstd"),
            again.pipeline().sinks().get(1).get("producer"));
    }

    @Test
    void aProducerPropertyKafkaDoesNotKnowIsPassedThroughWithAWarning() throws IOException {
        String f = file("sinks:\n  - type: kafka\n    producer:\n      linger.ms: 10\n      lingr.ms: 10\n");
        LoadedConfig c = Config.load(new String[] {"--config", f}, Map.of());
        assertEquals(List.of(f + ":2: sinks[0].producer.lingr.ms: not a Kafka producer property; passed to the "
            + "producer as given"), c.warnings());
        assertEquals("10", c.pipeline().sinks().get(0).<java.util.Map<String, String>>get("producer").get("lingr.ms"));
    }

    @Test
    void defaultsOfTheEngineSettingsAreTheEngineBuildersOwn() {
        ProcessorSettings engine = ProcessorSettings.defaults();
        ProcessorSettings configured = Config.load(new String[0], Map.of()).processorBuilder().settings();
        assertEquals(engine.window(), configured.window());
        assertEquals(engine.ringSize(), configured.ringSize());
        assertEquals(engine.maxStageBatch(), configured.maxStageBatch());
        assertEquals(engine.valuePath(), configured.valuePath());
        assertEquals(engine.maxDataBytes(), configured.maxDataBytes());
        assertEquals(engine.exactDistinctSources(), configured.exactDistinctSources());
    }

    @Test
    void unknownEnvironmentVariablesAreWarnedAboutAndIgnored() {
        LoadedConfig c = Config.load(new String[0], Map.of("SP_PORT", "tcp://10.0.0.7:8000", "SP_SERVER_PROT", "9000",
            "SP_SERVICE_ACCOUNT_X", "1", "PATH", "/bin"));
        assertEquals(List.of(
            "environment SP_PORT is not a setting; did you mean SP_SERVER_PORT? (ignored)",
            "environment SP_SERVER_PROT is not a setting; did you mean SP_SERVER_PORT? (ignored)",
            "environment SP_SERVICE_ACCOUNT_X is not a setting (ignored)"), c.warnings());
        assertEquals(8000, c.settings().get(Options.PORT));
        assertEquals(Origin.DEFAULT, c.settings().origin(Options.PORT));
        assertEquals(List.of(), Config.load(new String[0], Map.of("SP_SERVER_PORT", "9000")).warnings());
    }

    @Test
    void versionIsTheProjectVersionAndReadsNothingElse() {
        LoadedConfig c = Config.load(new String[] {"--version", "--bogus"}, Map.of("SP_SERVER_PORT", "x"));
        assertTrue(c.versionRequested());
        assertFalse(c.helpRequested());
        assertTrue(Config.version().matches("stream-processor \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Config.version());
    }

    @Test
    void helpListsEveryOptionWithoutReadingAnything() {
        LoadedConfig c = Config.load(new String[] {"--config", "/nonexistent.yaml", "--help"}, Map.of("SP_BOGUS", "1"));
        assertTrue(c.helpRequested());
        String help = Config.help();
        for (Option<?> o : Options.ALL) {
            assertTrue(help.contains(o.flag()), o.flag());
            assertTrue(help.contains(o.environmentVariable()), o.environmentVariable());
            assertTrue(help.contains(o.description()), o.description());
        }
        for (String s : List.of("--config", "--print-config", "--sinks", "--help", "--version", "--host", "--port", "--event-loops",
            "SP_CONFIG", "SP_SINKS", "filter:", "drop:", "set:", "rename:", "remove:")) {
            assertTrue(help.contains(s), s);
        }
    }

    private static List<String> types(LoadedConfig c) {
        return c.pipeline().sinks().stream().map(io.streamprocessor.config.pipeline.SinkSpec::type).toList();
    }

    @Test
    void aSinkTakesItsSettingsFromItsEntryAndTheRestFromTheDefaults() throws IOException {
        String f = file("sinks:\n  - type: console\n    sample-rate: 0.25\n  - console\n");
        List<io.streamprocessor.config.pipeline.SinkSpec> sinks = Config.load(new String[] {"--config", f}, Map.of())
            .pipeline().sinks();
        assertEquals("console", sinks.get(0).name());
        assertEquals(0.25, sinks.get(0).<Double>get("sample-rate"));
        assertEquals("console-2", sinks.get(1).name(), "a second sink of a type is named apart");
        assertEquals(1.0, sinks.get(1).<Double>get("sample-rate"));
    }
}
