package io.streamprocessor.transport.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request body bytes buffered across all connections at once, so that no mix of
 * large or slow uploads can exhaust memory: a request that does not fit is answered 503.
 * Thread-safe.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    boolean tryReserve(long bytes) {
        while (true) {
            long current = used.get();
            if (current + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }
}
