package io.streamprocessor.transport;

import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test sink: counts the events it is given. Made {@link #gated()}, it holds the pipeline on each
 * event until {@link #open()} is called (at most 30 s), so that tests can fill the ring or keep
 * requests in flight.
 */
final class CountingSink implements Sink {
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch gate;

    private CountingSink(CountDownLatch gate) {
        this.gate = gate;
    }

    static CountingSink counting() {
        return new CountingSink(new CountDownLatch(0));
    }

    static CountingSink gated() {
        return new CountingSink(new CountDownLatch(1));
    }

    @Override
    public String name() {
        return "count";
    }

    @Override
    public void onEvent(EventView event) throws InterruptedException {
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
        count.incrementAndGet();
    }

    void open() {
        gate.countDown();
    }

    long count() {
        return count.get();
    }

    @Override
    public void close() {
    }
}
