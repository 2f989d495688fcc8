package io.streamprocessor.engine.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link ErrorHandler}: logs the first hundred errors with their stack traces through
 * SLF4J (logger {@code io.streamprocessor.engine}, level ERROR), then one line per ten thousand,
 * so a poison stream cannot flood the log. Thread-safe.
 */
public final class LoggingErrorHandler implements ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamprocessor.engine");
    private final AtomicLong count = new AtomicLong();

    @Override
    public void onError(String where, Throwable error) {
        long n = count.incrementAndGet();
        if (n <= 100) {
            LOG.error("stream-processor: error in {}: {}", where, error.toString(), error);
        } else if (n % 10_000 == 0) {
            LOG.error("stream-processor: {} errors so far; latest in {}: {}", n, where, error.toString());
        }
    }

    /** Errors seen so far. */
    public long count() {
        return count.get();
    }
}
