package io.streamprocessor.engine.window;

import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WindowStore#windowCount()}, which {@code /metrics} reads, always says how many windows a query would return. */
class WindowCountTest {
    private final Interner types = new Interner(10_000);
    private final Validator validator = new Validator(types, new Interner(10_000), Long.MAX_VALUE / 4, 16, 256, false, "t-");
    private final EventRecord slot = new EventRecord(FieldPath.of("value"), 4096, 65536);
    private long sequence;

    private EventView event(long t) {
        slot.begin(t).type("metric").source("web").timestamp(t).data().startObject().endObject();
        assertTrue(validator.validate(slot, t, sequence++), slot::rejectionMessage);
        return slot.view();
    }

    @Test
    void theCountMatchesTheQueryAsEventsArriveInAnyOrderAndWindowsAreEvicted() {
        Random random = new Random(13);
        for (WindowSpec spec : List.of(WindowSpec.defaults(),
            new WindowSpec(10_000, 10_000, 30_000),
            new WindowSpec(60_000, 5_000, 20_000))) {
            WindowStore store = new WindowStore(spec, 1_000, 10_000, List.of());
            assertEquals(0, store.windowCount());
            long t = 1_699_380_000_000L;
            for (int i = 0; i < 2_000; i++) {
                // mostly forward in small steps, now and then a jump ahead or an event far back (late or evicted)
                int pick = random.nextInt(100);
                t += pick < 90 ? random.nextInt(3_000) : pick < 95 ? random.nextInt(400_000) : 0;
                long at = pick >= 95 ? t - random.nextInt(600_000) : t;
                store.add(event(at));
                assertEquals(store.query(types).size(), store.windowCount(), spec + " after event " + i);
            }
        }
    }
}
