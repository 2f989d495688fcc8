package io.streamprocessor.engine.aggregate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctCounterTest {
    private static final int LIMIT = 10_000;
    /** The contract's bound on the estimate's relative error. */
    private static final double TOLERANCE = 0.02;

    /** Distinct, well-spread 64-bit values, like source hashes. */
    private static long hash(long i) {
        return new SplittableRandom(i).nextLong();
    }

    private static void assertWithin(long expected, long actual) {
        double error = Math.abs(actual - expected) / (double) expected;
        assertTrue(error <= TOLERANCE, "estimate " + actual + " vs " + expected + ": error " + error);
    }

    @Test
    void exactUpToTheLimit() {
        DistinctCounter c = new DistinctCounter(LIMIT);
        for (int i = 0; i < LIMIT; i++) {
            c.add(hash(i));
            c.add(hash(i));
        }
        assertEquals(LIMIT, c.estimate());
        assertFalse(c.isApproximate());
    }

    @Test
    void oneDistinctValuePastTheLimitSwitchesToAnEstimate() {
        DistinctCounter c = new DistinctCounter(LIMIT);
        for (int i = 0; i <= LIMIT; i++) {
            c.add(hash(i));
        }
        assertTrue(c.isApproximate());
        assertWithin(LIMIT + 1, c.estimate());
    }

    @Test
    void farPastTheLimitTheEstimateIsWithinTwoPercent() {
        DistinctCounter c = new DistinctCounter(LIMIT);
        for (int i = 0; i < 200_000; i++) {
            c.add(hash(i));
        }
        for (int i = 0; i < 200_000; i += 3) {
            c.add(hash(i));
        }
        assertTrue(c.isApproximate());
        assertWithin(200_000, c.estimate());
    }

    @Test
    void valuesThatLookLikeSentinelsAreCounted() {
        DistinctCounter c = new DistinctCounter(LIMIT);
        c.add(0L);
        c.add(-1L);
        c.add(Long.MIN_VALUE);
        c.add(Long.MAX_VALUE);
        DistinctCounter merged = new DistinctCounter(LIMIT);
        merged.mergeFrom(c);
        assertEquals(4, c.estimate());
        assertEquals(4, merged.estimate());
    }

    @Test
    void mergingExactCountersCountsOverlapOnce() {
        DistinctCounter a = new DistinctCounter(LIMIT);
        DistinctCounter b = new DistinctCounter(LIMIT);
        for (int i = 0; i < 600; i++) {
            a.add(hash(i));
        }
        for (int i = 400; i < 1_000; i++) {
            b.add(hash(i));
        }
        a.mergeFrom(b);
        assertEquals(1_000, a.estimate());
        assertFalse(a.isApproximate());
        assertEquals(600, b.estimate(), "the source of a merge is unchanged");
    }

    @Test
    void mergingExactCountersPastTheLimitBecomesApproximate() {
        DistinctCounter a = new DistinctCounter(LIMIT);
        DistinctCounter b = new DistinctCounter(LIMIT);
        for (int i = 0; i < 8_000; i++) {
            a.add(hash(i));
            b.add(hash(i + 8_000));
        }
        a.mergeFrom(b);
        assertTrue(a.isApproximate());
        assertWithin(16_000, a.estimate());
    }

    @Test
    void mergingAnApproximateIntoAnExactCounterCountsTheUnion() {
        DistinctCounter exact = new DistinctCounter(LIMIT);
        for (int i = 0; i < 5_000; i++) {
            exact.add(hash(i));
        }
        DistinctCounter approx = new DistinctCounter(LIMIT);
        for (int i = 0; i < 100_000; i++) {
            approx.add(hash(i)); // contains all of exact's values
        }
        long approxBefore = approx.estimate();
        exact.mergeFrom(approx);
        assertTrue(exact.isApproximate());
        assertWithin(100_000, exact.estimate());
        assertEquals(approxBefore, approx.estimate(), "the source of a merge is unchanged");
    }

    @Test
    void mergingAnExactIntoAnApproximateCounterCountsTheUnion() {
        DistinctCounter approx = new DistinctCounter(LIMIT);
        for (int i = 0; i < 100_000; i++) {
            approx.add(hash(i));
        }
        DistinctCounter exact = new DistinctCounter(LIMIT);
        for (int i = 95_000; i < 105_000; i++) {
            exact.add(hash(i));
        }
        approx.mergeFrom(exact);
        assertTrue(approx.isApproximate());
        assertWithin(105_000, approx.estimate());
    }

    @Test
    void mergingApproximateCountersWithOverlapCountsTheUnion() {
        DistinctCounter a = new DistinctCounter(LIMIT);
        DistinctCounter b = new DistinctCounter(LIMIT);
        for (int i = 0; i < 120_000; i++) {
            a.add(hash(i));
            b.add(hash(i + 60_000));
        }
        a.mergeFrom(b);
        a.mergeFrom(b);
        assertWithin(180_000, a.estimate());
    }

    @Test
    void resetStartsOverExactly() {
        DistinctCounter c = new DistinctCounter(LIMIT);
        for (int i = 0; i < 50_000; i++) {
            c.add(hash(i));
        }
        assertTrue(c.isApproximate());
        c.reset();
        assertFalse(c.isApproximate());
        assertEquals(0, c.estimate());
        for (int i = 0; i < 10; i++) {
            c.add(hash(1_000_000 + i));
        }
        assertEquals(10, c.estimate());
        assertFalse(c.isApproximate());
        for (int i = 0; i < 50_000; i++) {
            c.add(hash(2_000_000 + i));
        }
        assertTrue(c.isApproximate());
        assertWithin(50_010, c.estimate());
    }
}
