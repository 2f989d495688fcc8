package io.streamprocessor.perf.engine;

import io.streamprocessor.engine.pipeline.Ingestor;

/**
 * The producer of the peer workload: publishes events {@code 0 .. n-1} of {@link PeerWorkload}
 * through an {@link Ingestor}, claiming {@value #BATCH} slots at a time as the HTTP batch decoder
 * does and yielding while the ring is full. A class of its own, not a method of one that older
 * builds also have, so that {@link PeerRepeat} can run it against an older engine.
 */
final class PeerIngest {
    /** Slots claimed and published at a time. */
    static final int BATCH = 64;

    private PeerIngest() {
    }

    static void ingest(Ingestor in, long n) {
        long i = 0;
        while (i < n) {
            int batch = (int) Math.min(BATCH, n - i);
            if (!in.claim(batch, null)) {
                Thread.yield();
                continue;
            }
            for (int j = 0; j < batch; j++) {
                PeerWorkload.write(in.slot(j), i + j);
            }
            in.publish();
            i += batch;
        }
    }
}
