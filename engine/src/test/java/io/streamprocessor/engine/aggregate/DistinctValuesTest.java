package io.streamprocessor.engine.aggregate;

import io.streamprocessor.engine.event.DataWriter;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.event.FieldPath;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distinct values of one member: which values count as one, exact up to the limit, an estimate past it. */
class DistinctValuesTest {
    private final EventRecord slot = new EventRecord(FieldPath.of("value"), 64, 1_024);

    /** The one place events are built here: data holds what {@code user} writes (a member named user, or nothing). */
    private EventView event(Consumer<DataWriter> user) {
        DataWriter d = slot.begin(0L).type("t").source("s").timestamp(0L).data();
        d.startObject();
        user.accept(d);
        d.endObject();
        return slot.view();
    }

    private static Consumer<DataWriter> user(long v) {
        return d -> d.name("user").number(v);
    }

    private static Consumer<DataWriter> user(double v) {
        return d -> d.name("user").number(v);
    }

    private static Consumer<DataWriter> user(String v) {
        return d -> d.name("user").string(v);
    }

    private long count(DistinctValues aggregation, DistinctCounter state) {
        return (Long) aggregation.result(state);
    }

    @Test
    void aNumberAndAStringOfTheSameDigitsAreTwoValues() {
        DistinctValues users = new DistinctValues("users", "data.user", 100);
        DistinctCounter state = users.createState();
        users.accumulate(state, event(user(7L)));
        users.accumulate(state, event(user("7")));
        users.accumulate(state, event(user(7L)));
        assertEquals(2, count(users, state));
    }

    @Test
    void integralFloatsAndNegativeZeroAreTheSameNumber() {
        DistinctValues users = new DistinctValues("users", "user", 100);
        DistinctCounter state = users.createState();
        users.accumulate(state, event(user(1L)));
        users.accumulate(state, event(user(1.0)));
        users.accumulate(state, event(user(0L)));
        users.accumulate(state, event(user(-0.0)));
        users.accumulate(state, event(user(0.0)));
        assertEquals(2, count(users, state));
    }

    @Test
    void nullsBooleansContainersAndMissingMembersAreNotCounted() {
        DistinctValues users = new DistinctValues("users", "data.user", 100);
        DistinctCounter state = users.createState();
        users.accumulate(state, event(d -> d.name("user").nullValue()));
        users.accumulate(state, event(d -> d.name("user").bool(true)));
        users.accumulate(state, event(d -> d.name("user").startObject().name("id").number(1L).endObject()));
        users.accumulate(state, event(d -> d.name("user").startArray().number(1L).endArray()));
        users.accumulate(state, event(d -> d.name("other").string("u1")));
        assertEquals(0, count(users, state));
    }

    @Test
    void manyDistinctNumbersAndStringsAreCountedExactlyUpToTheLimit() {
        DistinctValues users = new DistinctValues("users", "data.user", 250_000);
        DistinctCounter state = users.createState();
        for (int i = 0; i < 100_000; i++) {
            users.accumulate(state, event(user(i * 0.5)));
            users.accumulate(state, event(user("u" + i)));
        }
        assertEquals(200_000, count(users, state), "no two of these values may collide");
        assertTrue(!state.isApproximate());
    }

    @Test
    void mergingCountsTheUnionAndResetStartsOver() {
        DistinctValues users = new DistinctValues("users", "data.user", 100_000);
        DistinctCounter a = users.createState();
        DistinctCounter b = users.createState();
        for (long i = 0; i < 6_000; i++) {
            users.accumulate(a, event(user(i)));
            users.accumulate(b, event(user(i + 4_000)));
        }
        DistinctCounter merged = users.createState();
        users.merge(merged, a);
        users.merge(merged, b);
        assertEquals(10_000, count(users, merged));
        assertEquals(6_000, count(users, a), "merging leaves the source as it was");
        users.reset(merged);
        assertEquals(0, count(users, merged));
        users.accumulate(merged, event(user(1L)));
        assertEquals(1, count(users, merged));
    }

    @Test
    void pastTheLimitTheCountIsAnEstimateWithinTwoPercent() {
        DistinctValues users = new DistinctValues("users", "data.user", 1_000);
        DistinctCounter state = users.createState();
        for (int i = 0; i < 50_000; i++) {
            users.accumulate(state, event(user("user-" + i)));
            users.accumulate(state, event(user("user-" + i / 2)));
        }
        assertTrue(state.isApproximate());
        long estimate = count(users, state);
        assertTrue(Math.abs(estimate - 50_000) <= 0.02 * 50_000, "estimate " + estimate + " for 50,000");
    }
}
