package io.streamprocessor.engine.pipeline;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's defaults and checks, and the ring's heap estimate against a measured ring. */
class ProcessorSettingsTest {
    @Test
    void defaultsAreThoseOfTheApi() {
        ProcessorSettings d = ProcessorSettings.defaults();
        assertEquals(60_000, d.window().sizeMillis());
        assertEquals(10_000, d.window().slideMillis());
        assertEquals(300_000, d.window().retentionMillis());
        assertEquals(16_384, d.ringSize());
        assertEquals(Topology.forCores(Runtime.getRuntime().availableProcessors()), d.topology());
        assertEquals(UnknownFields.REJECT, d.unknownFields());
        assertEquals(3_600_000, d.maxFutureSkewMillis());
    }

    @Test
    void refusedValuesNameTheBuilderMethod() {
        assertEquals("maxDepth must be > 0, got 0",
            assertThrows(IllegalArgumentException.class, () -> StreamProcessor.builder().maxDepth(0)).getMessage());
        assertEquals("ringSize must be a power of two >= 2, got 1000",
            assertThrows(IllegalArgumentException.class, () -> StreamProcessor.builder().ringSize(1000)).getMessage());
    }

    @Test
    void configurationNamesOfTheEnumsAreLowerCaseWithDashes() {
        assertEquals("per-stage", Topology.PER_STAGE.configName());
        assertEquals("busy-spin", WaitStrategyType.BUSY_SPIN.configName());
        assertEquals("allow", UnknownFields.ALLOW.configName());
    }

    /**
     * The estimate the launcher checks against the heap limit must be near what a ring really
     * takes: measured as the heap a processor with a large ring holds beyond one with a small
     * ring, after full collections, so the rest of the processor cancels out.
     */
    @Test
    void ringHeapEstimateIsCloseToTheMeasuredHeapOfARing() {
        int small = 1 << 10;
        int large = 1 << 16;
        long smallHeap = heldBy(small);
        long largeHeap = heldBy(large);
        double measuredPerSlot = (double) (largeHeap - smallHeap) / (large - small);
        double estimated = ProcessorSettings.ringHeapBytes(large - small) / (double) (large - small);
        assertTrue(measuredPerSlot > estimated / 1.5 && measuredPerSlot < estimated * 1.5,
            "estimated " + ProcessorSettings.EMPTY_SLOT_BYTES + " bytes per empty slot, measured "
                + Math.round(measuredPerSlot));
    }

    /** Heap in use, after collection, while a built (not started) processor with this ring is reachable. */
    private static long heldBy(int ringSize) {
        StreamProcessor p = StreamProcessor.builder().topology(Topology.SINGLE).ringSize(ringSize).build();
        long used = usedAfterGc();
        assertEquals(ringSize, p.ringCapacity()); // keeps p reachable until after the measurement
        p.close();
        return used;
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // A few collections: the lowest reading is the one with the least floating garbage.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
