package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.event.EventWriter;

import java.util.SplittableRandom;

/**
 * Realistic events written straight into claimed slots, the way the HTTP decoder does it: type,
 * source and one string member from small pre-built vocabularies handed over as {@code char[]}
 * ranges (what jackson-core's {@code getTextCharacters()} gives), a numeric {@code data.value}
 * with a long-tailed distribution, and an event time a little behind the producer's clock
 * (out-of-order by up to ~1 s of event time). Allocates nothing per event.
 *
 * <p>One per producer thread: it holds the producer's random state.
 */
final class EventMix {
    static final int TYPES = 8;
    static final int SOURCES = 64;
    static final int REGIONS = 4;
    private static final int VALUES = 1024;
    private static final int MAX_LATENESS_MILLIS = 1023;

    private static final char[][] TYPE = chars(
        "page_view", "click", "purchase", "signup", "error", "api_call", "search", "logout");
    private static final char[][] REGION = chars("eu-west-1", "us-east-1", "ap-south-1", "sa-east-1");
    private static final char[] VALUE_NAME = "value".toCharArray();
    private static final char[] REGION_NAME = "region".toCharArray();

    private final char[][] source = new char[SOURCES][];
    private final double[] value = new double[VALUES];
    private long state;

    EventMix(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SOURCES; i++) {
            source[i] = ("web-" + (i / 16) + "-node-" + i).toCharArray();
        }
        for (int i = 0; i < VALUES; i++) {
            // log-normal around ~50 (a latency in ms, an amount), two decimals: a realistic spread
            // of DDSketch buckets rather than one hot bucket
            double v = Math.exp(Math.log(50) + random.nextGaussian() * 1.0);
            value[i] = Math.round(v * 100) / 100.0;
        }
        state = seed | 1;
    }

    /** Writes the next event, stamped at most ~1 s before {@code nowMillis}, into a freshly claimed slot. */
    void write(EventWriter slot, long nowMillis) {
        long r = next();
        char[] type = TYPE[(int) (r & (TYPES - 1))];
        char[] src = source[(int) ((r >>> 3) & (SOURCES - 1))];
        char[] region = REGION[(int) ((r >>> 9) & (REGIONS - 1))];
        double v = value[(int) ((r >>> 11) & (VALUES - 1))];
        long lateness = (r >>> 21) & MAX_LATENESS_MILLIS;
        slot.type(type, 0, type.length)
            .source(src, 0, src.length)
            .timestamp(nowMillis - lateness);
        slot.data().startObject()
            .name(VALUE_NAME, 0, VALUE_NAME.length).number(v)
            .name(REGION_NAME, 0, REGION_NAME.length).string(region, 0, region.length)
            .endObject();
    }

    /** xorshift64*: a few cycles, no allocation, good enough to pick from the vocabularies. */
    private long next() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    private static char[][] chars(String... words) {
        char[][] out = new char[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].toCharArray();
        }
        return out;
    }
}
