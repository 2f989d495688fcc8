package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.util.Locale;

/**
 * How an idle stage thread waits for the next event: the trade between latency and the CPU an
 * idle pipeline burns. Spinning strategies only pay off with a core per stage thread to spare.
 */
public enum WaitStrategyType {
    /** Parks on a lock and condition; lowest CPU, a wake-up on every publish to a sleeping stage. */
    BLOCKING,
    /** Spins, then yields, then parks for short intervals; low CPU, no signalling cost for producers. */
    SLEEPING,
    /** Spins, then yields; low latency, burns a core per stage thread. */
    YIELDING,
    /** Spins; lowest latency, burns a core per stage thread all the time. */
    BUSY_SPIN;

    /**
     * The default for a machine with {@code cores} available processors and {@code threads} stage
     * threads: {@link #BLOCKING} at every core count. An idle stage thread then takes no CPU (0.8-1.0 %
     * of a core for the whole idle server, against 21-25 % sleeping), and on 2 cores it also answered
     * faster at 10,000 events/s (p50 0.135-0.144 ms against 0.164-0.193 ms sleeping, p99 4.3-4.6
     * against 5.9-10.5 ms), since a sleeping thread's polling takes turns with the I/O thread
     * (perf/RESULTS.md, "Wait strategies"). Spinning and yielding stay for those who give each stage
     * thread a core of its own.
     */
    public static WaitStrategyType forCores(int cores, int threads) {
        return BLOCKING;
    }

    /** The name in the configuration: {@code blocking}, {@code sleeping}, {@code yielding}, {@code busy-spin}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    WaitStrategy create() {
        return switch (this) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
