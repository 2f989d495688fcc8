package io.streamprocessor.transport.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shedding rule, on a hand-driven clock and event loop. */
class AdmissionTest {
    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private long now = 1_000_000_000L;
    private boolean nearlyFull;

    private Admission admission(long delayMillis) {
        return new Admission(loop::add, () -> now, TimeUnit.MILLISECONDS.toNanos(delayMillis), () -> nearlyFull);
    }

    /** The loop finishes its pass and runs its tasks. */
    private void endPass() {
        while (!loop.isEmpty()) {
            loop.poll().run();
        }
    }

    private void advance(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** One pass: its first request at the current time, {@code millis} of work, then its tasks. */
    private void pass(Admission a, long millis) {
        assertNull(a.shedBeforeParsing(), "the first request of a pass is taken");
        advance(millis);
        endPass();
    }

    @Test
    void oneSlowPassShedsNothing() {
        Admission a = admission(20);
        assertNull(a.shedOnArrival());
        assertEquals(1, loop.size(), "the first request of a pass hands the loop one marker");
        advance(90);
        assertNull(a.shedBeforeParsing(), "90 ms into a cold first pass: no overload yet");
        assertEquals(1, loop.size(), "one marker per pass, not one per request");
        endPass();
        pass(a, 5);
        pass(a, 90);
        assertNull(a.shedBeforeParsing(), "a slow pass after a quick one starts the count afresh");
    }

    @Test
    void passesPastTheDelayForASustainedTimeShedWhatComesAfterTheDelayInEachPass() {
        Admission a = admission(20);
        pass(a, 60);
        pass(a, 50);
        assertNull(a.shedOnArrival(), "110 ms behind: shedding begins with this pass, past its first 20 ms");
        advance(15);
        assertNull(a.shedBeforeParsing(), "15 ms into the pass");
        advance(6);
        assertEquals(Admission.BEHIND, a.shedBeforeParsing(), "21 ms into the pass");
        assertEquals(Admission.BEHIND, a.shedOnArrival());
        endPass();
        assertNull(a.shedOnArrival(), "each pass takes its first 20 ms of work");
        advance(20);
        assertNull(a.shedBeforeParsing(), "exactly at the delay is not past it");
        advance(1);
        assertEquals(Admission.BEHIND, a.shedBeforeParsing());
        endPass();
        pass(a, 10);
        assertNull(a.shedOnArrival(), "a pass within the delay right after a shed: the clients told to wait will be back");
        advance(21);
        assertEquals(Admission.BEHIND, a.shedBeforeParsing(), "still overloaded");
        endPass();
        for (int i = 0; i < 99; i++) {
            pass(a, 10); // back to back, never idle: a second of short passes that shed nothing
        }
        assertNull(a.shedOnArrival());
        advance(21);
        assertEquals(Admission.BEHIND, a.shedBeforeParsing(), "990 ms after the last shed: still overloaded");
        endPass();
        for (int i = 0; i < 101; i++) {
            pass(a, 10);
        }
        assertNull(a.shedOnArrival(), "a pass within the delay a second after the last shed ends the overload");
        advance(50);
        assertNull(a.shedBeforeParsing(), "and a slow pass after it sheds nothing");
    }

    @Test
    void aThreadThatWentIdleHasCaughtUp() {
        Admission a = admission(20);
        pass(a, 60);
        pass(a, 60);
        assertNull(a.shedOnArrival());
        advance(30);
        assertEquals(Admission.BEHIND, a.shedBeforeParsing(), "overloaded");
        endPass();
        advance(21); // nothing to do for longer than the delay
        assertNull(a.shedOnArrival());
        advance(30);
        assertNull(a.shedBeforeParsing(), "the next request after a pause is taken, however long its pass");
    }

    @Test
    void aPipelineOver90PercentFullShedsOnArrivalWhateverTheLoop() {
        Admission a = admission(20);
        nearlyFull = true;
        assertEquals(Admission.PIPELINE_FULL, a.shedOnArrival());
        nearlyFull = false;
        assertNull(a.shedOnArrival());
    }

    @Test
    void aDelayOfZeroShedsOnlyOnAFullPipelineAndSchedulesNothing() {
        Admission a = admission(0);
        assertNull(a.shedOnArrival());
        advance(10_000);
        assertNull(a.shedBeforeParsing());
        assertEquals(0, loop.size(), "an idle or unlimited loop is handed no task");
        nearlyFull = true;
        assertEquals(Admission.PIPELINE_FULL, a.shedOnArrival());
    }
}
