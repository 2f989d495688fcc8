package io.streamprocessor.config.pipeline;

import io.streamprocessor.config.Config;
import io.streamprocessor.config.Run;
import io.streamprocessor.config.SinkCatalog;
import io.streamprocessor.engine.pipeline.ProcessorSettings;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.ConsoleSink;
import io.streamprocessor.engine.sink.MetricsSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps run in their declared order; the file and the Java builder declare the same pipelines. */
class PipelineTest {
    @TempDir
    Path dir;

    @Test
    void filtersBeforeTransformsBecomeEngineFiltersAndTransforms() {
        ProcessorSettings s = Pipeline.builder().filter("data.value > 0").drop("type == \"debug\"")
            .set("normalized", "data.value / 100").remove("secret").sink("console").sink("metrics").build()
            .applyTo(StreamProcessor.builder()).settings();
        assertEquals(2, s.filters().size());
        assertEquals(2, s.transforms().size());
        assertInstanceOf(ConsoleSink.class, s.sinks().get(0));
        assertInstanceOf(MetricsSink.class, s.sinks().get(1));
    }

    @Test
    void aFilterAfterATransformSeesTheTransformedEventAndCountsAsFiltered() throws Exception {
        Pipeline p = Pipeline.builder()
            .set("normalized", "data.value / 100")
            .drop("data.normalized > 1")
            .rename("normalized", "ratio")
            .build();
        try (Run run = new Run(p.applyTo(StreamProcessor.builder()))) {
            assertEquals("processed", run.post("metric", "a", Run.T0, "{\"value\": 50}"));
            assertEquals("filtered", run.post("metric", "a", Run.T0, "{\"value\": 150}"));
            assertEquals("processed", run.post("metric", "a", Run.T0, "{\"other\": 1}"));
            assertEquals(List.of("{\"value\":50,\"ratio\":0.5}", "{\"other\":1}"), run.sunk);
            assertEquals(1, run.stats().totalFiltered());
        }
    }

    @Test
    void theFileAndTheJavaBuilderDeclareTheSamePipeline() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, """
            pipeline:
              - filter: type == "metric" && source.startsWith("web-")
              - drop: data.value < 0
              - set: { normalized: data.value / 100, host: source }
              - rename: { msg: message }
              - remove: [secret, debug]
            sinks: [metrics]
            """);
        Pipeline fromFile = Config.load(new String[] {"--config", f.toString()}, Map.of()).pipeline();
        Pipeline fromJava = Pipeline.builder()
            .filter("type == \"metric\" && source.startsWith(\"web-\")")
            .drop("data.value < 0")
            .set("normalized", "data.value / 100").set("host", "source")
            .rename("msg", "message")
            .remove("secret").remove("debug")
            .sink("metrics")
            .build();
        assertEquals(fromJava.steps(), fromFile.steps());
        assertEquals(fromJava.sinks(), fromFile.sinks());
        for (Pipeline p : List.of(fromFile, fromJava)) {
            try (Run run = new Run(p.applyTo(StreamProcessor.builder()))) {
                assertEquals("filtered", run.post("metric", "db-1", Run.T0, "{\"value\": 5}"));
                assertEquals("filtered", run.post("metric", "web-1", Run.T0, "{\"value\": -5}"));
                assertEquals("processed", run.post("metric", "web-1", Run.T0,
                    "{\"value\": 5, \"msg\": \"hi\", \"secret\": 1}"));
                assertEquals(List.of("{\"value\":5,\"message\":\"hi\",\"normalized\":0.05,\"host\":\"web-1\"}"),
                    run.sunk);
            }
        }
    }

    @Test
    void eachProcessorGetsItsOwnSinks() {
        Pipeline p = Pipeline.builder().sink("metrics").build();
        assertTrue(p.applyTo(StreamProcessor.builder()).settings().sinks().get(0)
            != p.applyTo(StreamProcessor.builder()).settings().sinks().get(0));
    }

    @Test
    void unknownSinkTypesAndSinksThatNeedSettingsAreRefusedByTheBuilderToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Pipeline.builder().sink("pigeon"));
        assertEquals("unknown sink type 'pigeon'; allowed: console, metrics, file, kafka, postgres", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pipeline.builder().sink("postgres"));
        assertEquals("sink type postgres needs settings; declare it with them", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pipeline.builder().sink("console").sink(
            SinkCatalog.defaults("console", "console")));
        assertEquals("two sinks named 'console'", e.getMessage());
    }
}
