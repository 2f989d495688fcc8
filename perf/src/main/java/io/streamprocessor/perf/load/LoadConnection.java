package io.streamprocessor.perf.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection of the generator: sends pre-encoded requests, keeps up to
 * {@code depth} of them in flight (pipelining), frames responses by their headers and
 * {@code Content-Length}, and records each. Open loop: request k of this connection is meant to
 * leave at {@code start + k * interval}; a request that cannot leave on time (the connection is
 * waiting for answers) leaves as soon as it can, and its latency still counts from the time it
 * was meant to leave. Runs on its channel's event loop only.
 */
final class LoadConnection extends ChannelInboundHandlerAdapter {
    private final LoadRun run;
    private final RequestBodies bodies;
    private final int depth;
    private final long intervalNanos;
    private final long[] intended;
    private final long[] sent;
    private int head;
    private int inFlight;
    private long nextIntended;
    private boolean timerSet;
    private final boolean honorRetryAfter;
    /** Nothing is sent before this time: the server asked to wait with {@code Retry-After}. */
    private long quietUntil;
    private ByteBuf buffer;
    private ChannelHandlerContext ctx;

    LoadConnection(LoadRun run, RequestBodies bodies, int depth, long intervalNanos, long firstIntendedNanos,
                   boolean honorRetryAfter) {
        this.run = run;
        this.honorRetryAfter = honorRetryAfter;
        this.bodies = bodies;
        this.depth = depth;
        this.intervalNanos = intervalNanos;
        this.intended = new long[depth];
        this.sent = new long[depth];
        this.nextIntended = firstIntendedNanos;
    }

    int inFlight() {
        return inFlight;
    }

    /** After sending stopped: records the requests this connection was meant to send in the window but never did. */
    void recordNeverSent(long endNanos) {
        if (intervalNanos == 0) {
            return;
        }
        for (long t = Math.max(nextIntended, run.measureStartNanos); t < run.measureEndNanos; t += intervalNanos) {
            run.onNeverSent(t, endNanos);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.buffer = ctx.alloc().buffer(4096);
        pump();
    }

    /** Sends whatever is due and allowed, then arms a timer for the next intended send. */
    private void pump() {
        if (!run.sending || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (quietUntil > now) {
            if (!timerSet) {
                timerSet = true;
                ctx.executor().schedule(() -> {
                    timerSet = false;
                    pump();
                }, quietUntil - now, TimeUnit.NANOSECONDS);
            }
            return;
        }
        boolean wrote = false;
        while (inFlight < depth) {
            long due;
            if (intervalNanos == 0) {
                due = now;
            } else {
                if (nextIntended > now) {
                    break;
                }
                due = nextIntended;
                nextIntended += intervalNanos;
            }
            int slot = (head + inFlight) % depth;
            intended[slot] = due;
            sent[slot] = now;
            inFlight++;
            byte[] request = bodies.next();
            ctx.write(ctx.alloc().buffer(request.length).writeBytes(request), ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (intervalNanos > 0 && inFlight < depth && !timerSet) {
            timerSet = true;
            ctx.executor().schedule(() -> {
                timerSet = false;
                pump();
            }, Math.max(0, nextIntended - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            buffer.writeBytes(in);
        } finally {
            in.release();
        }
        long now = System.nanoTime();
        int status;
        while ((status = frame()) > 0) {
            if (inFlight == 0) {
                run.connectionErrors.incrementAndGet();
                ctx.close();
                return;
            }
            run.onResponse(status, intended[head], sent[head], now);
            head = (head + 1) % depth;
            inFlight--;
        }
        buffer.discardReadBytes();
        pump();
    }

    /** Consumes one complete response from the buffer and returns its status, or 0 if none is complete yet. */
    private int frame() {
        int start = buffer.readerIndex();
        int end = buffer.writerIndex();
        int headerEnd = -1;
        for (int i = start; i + 3 < end; i++) {
            if (buffer.getByte(i) == '\r' && buffer.getByte(i + 1) == '\n'
                && buffer.getByte(i + 2) == '\r' && buffer.getByte(i + 3) == '\n') {
                headerEnd = i + 4;
                break;
            }
        }
        if (headerEnd < 0) {
            return 0;
        }
        int status = (buffer.getByte(start + 9) - '0') * 100 + (buffer.getByte(start + 10) - '0') * 10
            + (buffer.getByte(start + 11) - '0');
        long length = contentLength(start, headerEnd);
        if (headerEnd + length > end) {
            return 0;
        }
        if (status == 503 && honorRetryAfter && intervalNanos == 0) {
            long seconds = header(start, headerEnd, "retry-after:");
            if (seconds > 0) {
                quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            }
        }
        buffer.readerIndex((int) (headerEnd + length));
        return status;
    }

    private long contentLength(int from, int to) {
        return header(from, to, "content-length:");
    }

    /** The numeric value of the header {@code name} (lower case, with its colon), or 0 when absent. */
    private long header(int from, int to, String lowerName) {
        byte[] name = lowerName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = from; i < to - name.length; i++) {
            if (buffer.getByte(i) != '\n') {
                continue;
            }
            int j = 0;
            while (j < name.length && Character.toLowerCase((char) buffer.getByte(i + 1 + j)) == name[j]) {
                j++;
            }
            if (j == name.length) {
                long v = 0;
                for (int k = i + 1 + j; k < to; k++) {
                    byte b = buffer.getByte(k);
                    if (b >= '0' && b <= '9') {
                        v = v * 10 + (b - '0');
                    } else if (b != ' ') {
                        break;
                    }
                }
                return v;
            }
        }
        return 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (run.sending) {
            run.connectionErrors.incrementAndGet();
        }
        run.unanswered.addAndGet(inFlight);
        inFlight = 0;
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
