package io.streamprocessor.engine.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link ErrorHandler}: prints the first hundred errors with their stack traces to
 * standard error, then one line per ten thousand, so a poison stream cannot flood the log.
 */
public final class LoggingErrorHandler implements ErrorHandler {
    private final AtomicLong count = new AtomicLong();

    @Override
    public void onError(String where, Throwable error) {
        long n = count.incrementAndGet();
        if (n <= 100) {
            System.err.println("stream-processor: error in " + where + ": " + error);
            error.printStackTrace(System.err);
        } else if (n % 10_000 == 0) {
            System.err.println("stream-processor: " + n + " errors so far; latest in " + where + ": " + error);
        }
    }

    /** Errors seen so far. */
    public long count() {
        return count.get();
    }
}
