package io.streamprocessor.transport;

import io.streamprocessor.engine.aggregate.Aggregation;
import io.streamprocessor.engine.event.EventView;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a custom aggregation that counts events and, at one point, counts {@code inside}
 * down and waits (at most 30 s) until {@code release} is: on the first event it is given (so
 * the thread that runs the window stage waits there), or in every {@code result} (so a query
 * waits there, with the windows held).
 */
record HoldingCount(String name, Where where, CountDownLatch inside, CountDownLatch release) implements Aggregation<long[]> {
    enum Where { FIRST_EVENT, RESULT }

    @Override
    public long[] createState() {
        return new long[1];
    }

    @Override
    public void accumulate(long[] state, EventView event) {
        if (where == Where.FIRST_EVENT && inside.getCount() > 0) {
            hold();
        }
        state[0]++;
    }

    @Override
    public void merge(long[] target, long[] source) {
        target[0] += source[0];
    }

    @Override
    public void reset(long[] state) {
        state[0] = 0;
    }

    @Override
    public Object result(long[] merged) {
        if (where == Where.RESULT) {
            hold();
        }
        return merged[0];
    }

    private void hold() {
        inside.countDown();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
