package io.streamprocessor.config;

import io.streamprocessor.engine.window.WindowResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each configuration in examples/ started, fed events, and checked for its effect. */
class ExamplesTest {
    private static LoadedConfig example(String name) {
        // tests run in the module directory
        // In memory: these check what the examples compute, not what a restart replays.
        return Config.load(new String[] {"--config", "../examples/" + name, "--journal.enabled", "false"}, Map.of());
    }

    @Test
    void seedPipelineKeepsPositiveValuesAndAddsNormalized() throws Exception {
        try (Run run = Run.of(example("seed-pipeline.yaml"))) {
            assertEquals("processed", run.post("metric", "api-server", Run.T0, "{\"value\": 125}"));
            assertEquals("filtered", run.post("metric", "api-server", Run.T0, "{\"value\": -5}"));
            assertEquals("filtered", run.post("metric", "api-server", Run.T0, "{\"value\": 0}"));
            assertEquals("filtered", run.post("log", "web", Run.T0, "{\"level\": \"info\"}"));
            assertEquals("processed", run.post("metric", "api-server", Run.T0 + 1, "{\"value\": 98}"));

            assertEquals(List.of("{\"value\":125,\"normalized\":1.25}", "{\"value\":98,\"normalized\":0.98}"), run.sunk);
            assertEquals(3, run.stats().totalFiltered());
            WindowResult w = run.aggregations().get(0);
            assertEquals(2, w.count());
            assertEquals(223.0, w.sum());
        }
    }

    @Test
    void metricsPipelineDerivesFieldsAndAggregatesTheDerivedValue() throws Exception {
        try (Run run = Run.of(example("metrics-pipeline.yaml"))) {
            assertEquals("processed", run.post("metric", "web-1", Run.T0,
                "{\"latency_ms\": 120, \"endpoint\": \"/users\"}"));
            assertEquals("processed", run.post("metric", "web-2", Run.T0, "{\"latency_ms\": 480}"));
            assertEquals("processed", run.post("metric", "web-2", Run.T0, "{\"latency_ms\": 1500}"));
            assertEquals("filtered", run.post("metric", "db-1", Run.T0, "{\"latency_ms\": 5}"));
            assertEquals("filtered", run.post("log", "web-1", Run.T0, "{\"latency_ms\": 5}"));
            assertEquals("filtered", run.post("metric", "web-1", Run.T0, "{\"cpu\": 0.5}"));

            assertEquals(List.of(
                "{\"latency_ms\":120,\"route\":\"/users\",\"latency_s\":0.12,\"slow\":false,\"class\":\"ok\"}",
                "{\"latency_ms\":480,\"latency_s\":0.48,\"slow\":true,\"class\":\"slow\"}",
                "{\"latency_ms\":1500,\"latency_s\":1.5,\"slow\":true,\"class\":\"critical\"}"), run.sunk);
            List<WindowResult> windows = run.aggregations();
            assertEquals(6, windows.size(), "30 s windows sliding by 5 s: six hold the instant T0");
            WindowResult w = windows.get(0);
            assertEquals(3, w.count());
            assertEquals(3, w.valueCount(), "the derived latency_s is the aggregated value");
            assertEquals(2.1, w.sum(), 1e-9);
            assertEquals(1.5, w.max());
            assertEquals(30_000, w.end() - w.start());
        }
    }

    @Test
    void logPipelineDropsDebugFlagsErrorsAndStripsInternals() throws Exception {
        try (Run run = Run.of(example("log-pipeline.yaml"))) {
            assertEquals("filtered", run.post("log", "auth", Run.T0, "{\"level\": \"debug\", \"msg\": \"x\"}"));
            assertEquals("filtered", run.post("log", "auth", Run.T0, "{\"level\": \"trace\"}"));
            assertEquals("filtered", run.post("metric", "auth", Run.T0, "{\"value\": 1}"));
            assertEquals("processed", run.post("log", "auth", Run.T0,
                "{\"level\": \"error\", \"msg\": \"denied\", \"internal\": {\"pid\": 7}, \"debug_info\": \"..\"}"));
            assertEquals("processed", run.post("log", "billing", Run.T0, "{\"level\": \"info\"}"));
            assertEquals("processed", run.post("log", "billing", Run.T0, "{\"msg\": \"no level\"}"));

            assertEquals(List.of(
                "{\"level\":\"error\",\"msg\":\"denied\",\"is_error\":true,\"service\":\"auth\"}",
                "{\"level\":\"info\",\"is_error\":false,\"service\":\"billing\"}",
                "{\"msg\":\"no level\",\"is_error\":false,\"service\":\"billing\"}"), run.sunk);
            assertEquals(3, run.stats().totalFiltered());
            assertEquals(3, run.stats().totalProcessed());
        }
    }
}
