package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.pipeline.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine and the plain loop give the same windows on the peer workload, as the bench checks at scale. */
class PeerWorkloadTest {
    private static final long N = 20_000;

    @ParameterizedTest(name = "slide {0} ms: {1} windows")
    @CsvSource({"60000, 1", "10000, 6", "1000, 61"})
    void theEngineThroughItsPublicApiGivesTheLoopsWindows(long slide, int windows) {
        PeerEngineRun.Result engine = PeerEngineRun.run(Topology.forCores(Runtime.getRuntime().availableProcessors()),
            slide, N);
        PeerLoop loop = new PeerLoop(60_000, slide).run(N);

        // 20,000 events span 2 s of event time from a minute boundary: one pane of 10 s or 60 s, two of 1 s
        assertEquals(windows, loop.windows().size());
        assertNull(PeerCheck.difference(engine.windows(), loop));
    }

    @ParameterizedTest(name = "slide {0} ms")
    @ValueSource(longs = {60_000, 1_000})
    void aWrongLoopIsCaught(long slide) {
        PeerEngineRun.Result engine = PeerEngineRun.run(Topology.SINGLE, slide, N);
        PeerLoop loop = new PeerLoop(60_000, slide).run(N - 1);

        String difference = PeerCheck.difference(engine.windows(), loop);
        assertNotNull(difference);
        assertTrue(difference.endsWith("engine counts 20000 events, 18000 values; the loop 19999, 18000"), difference);
    }
}
