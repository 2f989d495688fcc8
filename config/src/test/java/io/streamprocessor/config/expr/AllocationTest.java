package io.streamprocessor.config.expr;

import io.streamprocessor.config.TestEvents;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.MutableEvent;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.pipeline.EventFilter;
import io.streamprocessor.engine.pipeline.EventTransform;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiled expressions allocate nothing per event. Counts the bytes this thread allocates over
 * many evaluations (a correctness check, not a benchmark: the JMH benchmark in perf measures cost).
 */
class AllocationTest {
    private static final int ROUNDS = 200_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void filtersAllocateNothing() {
        MutableEvent e = TestEvents.event("metric", "web-1",
            "{\"value\": 42, \"level\": \"info\", \"user\": {\"id\": \"u-7\"}, \"a\": \"x\", \"b\": \"x\"}");
        EventFilter[] filters = List.of(
            Expressions.condition("data.value > 0"),
            Expressions.condition("type == \"metric\" && source.startsWith(\"web-\")"),
            Expressions.condition("has(data.userId) || data.user.id.contains(\"7\")"),
            Expressions.condition("data.level in [\"debug\", \"info\"] && !(data.missing == 3)"),
            Expressions.condition("data.a == data.b && type != data.level && abs(data.value - 50) < 10")).toArray(new EventFilter[0]);
        int[] kept = new int[1];
        // arrays, not lists: an iterator per round would be the only allocation measured
        Runnable run = () -> {
            for (int i = 0; i < ROUNDS; i++) {
                for (EventFilter f : filters) {
                    if (f.test(e)) {
                        kept[0]++;
                    }
                }
            }
        };
        run.run();
        long before = allocatedBytes();
        run.run();
        long bytes = allocatedBytes() - before;
        assertTrue(kept[0] == 2 * ROUNDS * filters.length, "all filters hold");
        assertTrue(bytes < 4096, bytes + " bytes allocated over " + ROUNDS * filters.length + " evaluations");
    }

    @Test
    void transformsAllocateNothingOnceTheSlotHasGrown() {
        EventRecord record = new EventRecord(FieldPath.of("value"), 4096, 1 << 16);
        Validator validator = new Validator(new Interner(16), new Interner(16), Long.MAX_VALUE / 4, 16, 256, false, "t-");
        MutableEvent e = record.mutable();
        EventTransform[] transforms = List.of(
            Expressions.assignment("normalized", "data.value / 100"),
            Expressions.assignment("kind", "data.value > 10 ? \"big\" : \"small\""),
            Expressions.assignment("origin", "source"),
            Expressions.assignment("copy", "data.level"),
            Expressions.assignment("slow", "data.value > 40")).toArray(new EventTransform[0]);
        Runnable run = () -> {
            for (int i = 0; i < ROUNDS; i++) {
                // a new event in the same record, as the ring reuses it, validated as the pipeline does
                record.begin(1_700_000_000_000L).type("metric").source("web-1")
                    .data().startObject().name("value").number(42L).name("level").string("info").endObject();
                validator.validate(record, 1_700_000_000_000L, i);
                for (EventTransform t : transforms) {
                    t.apply(e);
                }
            }
        };
        run.run();
        long before = allocatedBytes();
        run.run();
        long bytes = allocatedBytes() - before;
        assertTrue(bytes < 4096, bytes + " bytes allocated over " + ROUNDS * transforms.length + " applications");
    }
}
