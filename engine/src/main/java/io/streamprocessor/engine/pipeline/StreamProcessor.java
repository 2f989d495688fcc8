package io.streamprocessor.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventProcessorFactory;
import com.lmax.disruptor.dsl.ProducerType;
import io.streamprocessor.engine.event.EventRecord;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.event.Interner;
import io.streamprocessor.engine.event.Validator;
import io.streamprocessor.engine.journal.Journal;
import io.streamprocessor.engine.sink.Sink;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.engine.stats.LatencyRecorder;
import io.streamprocessor.engine.stats.MetricsSnapshot;
import io.streamprocessor.engine.stats.LatencySummary;
import io.streamprocessor.engine.stats.LatencyTicker;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.stats.TypeSourceCounts;
import io.streamprocessor.engine.window.WindowQuery;
import io.streamprocessor.engine.window.WindowResult;
import io.streamprocessor.engine.window.WindowSpec;
import io.streamprocessor.engine.window.WindowStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embeddable processor: a Disruptor ring of pre-allocated event slots and the handler
 * chain validate, filter, transform, window, sinks, completion, laid out on threads by the
 * {@link Topology}. Build one with {@link #builder()}, {@link #start()} it, ingest through an
 * {@link Ingestor} per producer thread, query {@link #aggregations()} and {@link #stats()}, and
 * {@link #close()} it to drain what was accepted.
 *
 * <p>Concurrency: any number of producer threads, each with its own {@link Ingestor}; queries
 * from any thread. A query first waits (boundedly) until every event published before it has
 * passed the whole chain, so a producer that published and then queries sees its own events.
 */
public final class StreamProcessor implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long QUERY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum State { NEW, REPLAYING, RUNNING, CLOSING, CLOSED }

    private final ProcessorSettings settings;
    /** Null for {@link Topology#INLINE}, which has no stage threads. */
    private final Disruptor<Slot> disruptor;
    /** Null unless {@link Topology#INLINE}. */
    private final InlineDrainer inline;
    private final RingBuffer<Slot> ring;
    /**
     * With {@link ProcessorSettings#singleProducer()}: held by a producer from its claim to its
     * publish, so that the single-producer sequencer sees one producer at a time; null otherwise.
     */
    private final ReentrantLock producerTurn;
    private final Interner types;
    private final Interner sources;
    private final ValidateStage validate;
    private final FilterStage filter;
    private final TransformStage transform;
    private final WindowStage window;
    private final SinkStage sinkStage;
    private final CompletionStage completion;
    private final Validator validator;
    /** Null without a journal. */
    private final JournalStage journalStage;
    private Journal journal;
    private volatile JournalReplay replay;
    private volatile long replayRecords;
    /** What this run's ring sequences are added to for events' positions: one past the journal's last record. */
    private volatile long positionBase;
    private final String name;
    private final List<StageHandler> handlers = new ArrayList<>();
    private final LatencyRecorder latency;
    /** Keeps the recent latency current between queries; null until started. */
    private LatencyTicker latencyTicker;
    private final BackpressureNotices backpressure;
    private volatile State state = State.NEW;

    StreamProcessor(ProcessorSettings s) {
        this.settings = s;
        this.producerTurn = s.singleProducer() ? new ReentrantLock() : null;
        int instance = INSTANCES.incrementAndGet();
        String name = "sp" + instance;
        this.name = name;
        this.backpressure = new BackpressureNotices(s.notices());
        this.latency = new LatencyRecorder(s.clock());
        FieldPath valuePath = FieldPath.of(s.valuePath());
        this.types = new Interner(s.maxTypes());
        this.sources = new Interner(s.maxSources());
        String idPrefix = "evt-" + Long.toString(System.currentTimeMillis(), 36) + "-" + instance + "-";
        Validator validator = new Validator(types, sources, s.maxFutureSkewMillis(), s.maxDepth(),
            s.maxFields(), s.unknownFields() == UnknownFields.ALLOW, idPrefix);
        this.validator = validator;
        this.validate = new ValidateStage(validator, s.clock());
        this.filter = new FilterStage(s.filters().toArray(new EventFilter[0]));
        this.transform = new TransformStage(s.transforms().toArray(new EventStep[0]));
        WindowStore store = new WindowStore(s.window(), s.typesPerWindow(), s.exactDistinctSources(),
            s.sourceGroupsPerWindow(), s.aggregations());
        this.window = new WindowStage(store, s.maxMetricKeys(), s.clock());
        this.sinkStage = new SinkStage(s.sinks().toArray(new Sink[0]), s.errorHandler());
        boolean journaled = s.journal() != null;
        for (Sink sink : s.sinks()) {
            if (sink.catchesUpFromJournal() && !journaled) {
                throw new IllegalArgumentException("sink " + sink.name() + " catches up from the journal when full "
                    + "(overflow journal), and there is no journal");
            }
        }
        // Where the window stage runs on the journal's thread just before it, the journal reads its metrics rather than count them twice.
        boolean windowOnJournalThread = s.topology() == Topology.SINGLE || s.topology() == Topology.INLINE;
        this.journalStage = journaled
            ? new JournalStage(types, sources, s.maxMetricKeys(), windowOnJournalThread ? window.metrics : null)
            : null;
        // The journal writes at the end of each batch: a completion stage on its thread holds its answers until then.
        this.completion = new CompletionStage(latency, journaled && s.topology() != Topology.PER_STAGE);
        // After the window stage (which decides lateness), before the sinks: a sink only gets journaled events.
        Stage[] delivery = journaled ? new Stage[] {journalStage, sinkStage} : new Stage[] {sinkStage};

        ErrorHandler errors = s.errorHandler();
        if (s.topology() == Topology.INLINE) {
            this.disruptor = null;
            this.ring = RingBuffer.create(s.singleProducer() ? ProducerType.SINGLE : ProducerType.MULTI,
                () -> new Slot(valuePath, s.maxDataTokens(), s.maxDataBytes()), s.ringSize(),
                s.waitStrategy().create());
            StageHandler all = new StageHandler(errors, chain(new Stage[] {validate, filter, transform, window}, delivery, completion));
            handlers.add(all);
            this.inline = new InlineDrainer(ring, all, s.maxStageBatch());
            return;
        }
        this.inline = null;
        AtomicInteger threadNumber = new AtomicInteger();
        this.disruptor = new Disruptor<>(
            () -> new Slot(valuePath, s.maxDataTokens(), s.maxDataBytes()),
            s.ringSize(),
            r -> {
                Thread t = new Thread(r, name + "-stage-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            },
            s.singleProducer() ? ProducerType.SINGLE : ProducerType.MULTI,
            s.waitStrategy().create());
        switch (s.topology()) {
            case SINGLE -> disruptor.handleEventsWith(
                processor(new StageHandler(errors, chain(new Stage[] {validate, filter, transform, window}, delivery, completion))));
            case FUSED -> disruptor
                .handleEventsWith(processor(new StageHandler(errors, validate, filter, transform, window)))
                .then(processor(new StageHandler(errors, chain(new Stage[0], delivery, completion))));
            case PER_STAGE -> {
                var afterTransform = disruptor
                    .handleEventsWith(processor(new StageHandler(errors, validate)))
                    .then(processor(new StageHandler(errors, filter)))
                    .then(processor(new StageHandler(errors, transform)));
                // Without a journal the sinks run beside the window stage; with one, after it (journal and sinks on one thread).
                var delivered = journaled
                    ? afterTransform.then(processor(new StageHandler(errors, window))).then(processor(new StageHandler(errors, delivery)))
                    : afterTransform.then(processor(new StageHandler(errors, window)), processor(new StageHandler(errors, sinkStage)));
                delivered.then(processor(new StageHandler(errors, completion)));
            }
            default -> throw new IllegalStateException("topology " + s.topology());
        }
        this.ring = disruptor.getRingBuffer();
    }

    private static Stage[] chain(Stage[] first, Stage[] delivery, Stage last) {
        Stage[] all = java.util.Arrays.copyOf(first, first.length + delivery.length + 1);
        System.arraycopy(delivery, 0, all, first.length, delivery.length);
        all[all.length - 1] = last;
        return all;
    }

    private EventProcessorFactory<Slot> processor(StageHandler handler) {
        handlers.add(handler);
        int maxBatch = settings.maxStageBatch();
        return (ringBuffer, barrierSequences) -> new BatchEventProcessorBuilder()
            .setMaxBatchSize(maxBatch)
            .build(ringBuffer, ringBuffer.newBarrier(barrierSequences), handler);
    }

    public static ProcessorSettings.Builder builder() {
        return new ProcessorSettings.Builder();
    }

    /**
     * Starts the sinks; with a journal, opens it and replays it (the windows, the totals, and to each
     * sink the events after the position it had delivered through), meanwhile answering
     * {@link #health()} and refusing events; then starts the stage threads and takes events.
     *
     * @throws IllegalStateException when a sink cannot start, or the journal cannot be opened or is
     *                               damaged (the message says where and what to do); what was
     *                               started is closed
     */
    public synchronized StreamProcessor start() {
        return start(records -> { });
    }

    /**
     * As {@link #start()}, calling {@code beforeReplay} with the number of records found once the
     * journal is open (so no other processor holds it) and before they are replayed; not called
     * when there is nothing to replay.
     */
    public synchronized StreamProcessor start(java.util.function.LongConsumer beforeReplay) {
        if (state != State.NEW) {
            throw new IllegalStateException("processor already started");
        }
        startSinks();
        if (journalStage != null) {
            try {
                openAndReplay(beforeReplay);
            } catch (IOException | RuntimeException e) {
                for (Sink s : settings.sinks()) {
                    closeQuietly(s);
                }
                if (journal != null) {
                    journal.close();
                }
                state = State.CLOSED;
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        sinkStage.handedThrough(positionBase - 1);
        if (disruptor != null) {
            disruptor.start();
        }
        latencyTicker = LatencyTicker.start(latency, name + "-latency-ticker");
        state = State.RUNNING;
        return this;
    }

    private void openAndReplay(java.util.function.LongConsumer beforeReplay) throws IOException {
        long started = System.nanoTime();
        journal = Journal.open(settings.journal(), settings.notices());
        long checkedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (journal.records() > 0) {
            beforeReplay.accept(journal.records());
        }
        journalStage.attach(journal);
        replayRecords = journal.records();
        List<Sink> sinks = settings.sinks();
        Map<String, Long> checkpoint = journal.checkpointedSinkPositions();
        long[] resume = new long[sinks.size()];
        for (int i = 0; i < resume.length; i++) {
            // A sink the journal has not seen before starts with the events taken from now on.
            resume[i] = checkpoint.getOrDefault(sinks.get(i).name(), journal.nextPosition() - 1);
        }
        EventRecord scratch = new EventRecord(FieldPath.of(settings.valuePath()), settings.maxDataTokens(), settings.maxDataBytes());
        JournalReplay r = new JournalReplay(scratch, validator, types, sources, window, journalStage.totals,
            sinks.toArray(new Sink[0]), resume, sinkStage, settings.notices());
        replay = r;
        state = State.REPLAYING;
        r.begin();
        try {
            journal.replay(r);
        } finally {
            r.end();
        }
        JournalStage.Totals t = journalStage.totals;
        validate.received.add(t.received);
        validate.received.publish();
        validate.rejected.add(t.rejected);
        validate.rejected.publish();
        filter.filtered.add(t.filtered);
        filter.filtered.publish();
        window.processed.add(t.processed);
        window.processed.publish();
        window.late.add(t.late);
        window.late.publish();
        if (t.lastProcessedAt != Long.MIN_VALUE) {
            window.lastProcessedAt.set(t.lastProcessedAt);
            window.lastProcessedAt.publish();
        }
        window.lock.lock();
        try {
            if (!t.sharedMetrics) {
                t.metrics.counts.forEach(window.metrics::add);
            }
        } finally {
            window.lock.unlock();
        }
        journalStage.seedWatermark(r.watermark());
        positionBase = journal.nextPosition();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (journal.records() > 0) {
            settings.notices().info(String.format(java.util.Locale.ROOT,
                "journal: replayed %,d events (%,d records, %.1f MiB) from %s in %,d ms (%,d ms of it checking every record)%s",
                r.events, journal.records(), journal.replayedBytes() / 1048576.0, settings.journal().dir(), millis,
                checkedMillis,
                millis > 0 ? String.format(java.util.Locale.ROOT, ", %,d events/s", r.events * 1000 / millis) : ""));
        }
        journal.startWriting(journalStage, new Journal.Needs() {
            @Override
            public Map<String, Long> sinkPositions() {
                Map<String, Long> positions = new LinkedHashMap<>();
                for (int i = 0; i < sinks.size(); i++) {
                    positions.put(sinks.get(i).name(), sinkStage.deliveredThrough(i));
                }
                return positions;
            }

            @Override
            public void nudge() {
                if (sinkStage.anyBehind() && state == State.RUNNING) {
                    endABatch();
                }
            }

            @Override
            public long oldestNeededEventTime() {
                long wm = journalStage.watermark();
                if (wm == Long.MIN_VALUE) {
                    return Long.MIN_VALUE + 1; // no event in any window yet
                }
                WindowSpec w = settings.window();
                return wm - w.retentionMillis() - w.sizeMillis() - w.slideMillis();
            }
        }, name + "-journal");
        sinkStage.attach(journal, new EventRecord(FieldPath.of(settings.valuePath()), settings.maxDataTokens(),
            settings.maxDataBytes()));
        replay = null;
    }

    /**
     * Publishes a void slot, so the stages end a batch even with no traffic: a sink catching up from
     * the journal moves on at batch ends. Skipped when the ring is full (batches are ending anyway).
     */
    private void endABatch() {
        Lock turn = producerTurn;
        if (turn != null && !turn.tryLock()) {
            return; // a producer is publishing: batches are ending anyway
        }
        try {
            long seq;
            try {
                seq = ring.tryNext();
            } catch (com.lmax.disruptor.InsufficientCapacityException e) {
                return;
            }
            ring.get(seq).markVoid();
            ring.publish(seq);
        } finally {
            if (turn != null) {
                turn.unlock();
            }
        }
        afterPublish();
    }

    private void startSinks() {
        List<Sink> sinks = settings.sinks();
        for (int i = 0; i < sinks.size(); i++) {
            try {
                sinks.get(i).start();
            } catch (Exception e) {
                for (int j = 0; j < i; j++) {
                    closeQuietly(sinks.get(j));
                }
                throw new IllegalStateException("sink " + sinks.get(i).name() + " cannot start: " + e.getMessage(), e);
            }
        }
    }

    /** True while the processor takes new events (started, replay done, not closing). */
    public boolean isAccepting() {
        return state == State.RUNNING;
    }

    /**
     * Why the processor takes no events now, in words for a client ({@code replaying the journal,
     * retry later}, {@code no space left for the journal, retry later}), or null when it takes them.
     */
    String refusal() {
        State now = state;
        if (now == State.RUNNING) {
            return journal == null ? null : journal.refusal();
        }
        return switch (now) {
            case NEW -> "starting, retry later";
            case REPLAYING -> "replaying the journal, retry later";
            default -> "shutting down, retry later";
        };
    }

    /** The journal, or null without one (or before start). */
    Journal journal() {
        return journal;
    }

    /** Added to ring sequences for events' positions. */
    long positionBase() {
        return positionBase;
    }

    /** A new producer handle; give each producing thread its own. */
    public Ingestor newIngestor() {
        return new Ingestor(ring, this, settings.clock(), producerTurn);
    }

    public ProcessorSettings settings() {
        return settings;
    }

    /** Slots in the ring. */
    public int ringCapacity() {
        return ring.getBufferSize();
    }

    /** Slots published or claimed but not yet through every stage. */
    public long ringUsed() {
        return Math.max(0, ring.getCursor() - ring.getMinimumGatingSequence());
    }

    /**
     * What a read waits for before it answers. Either way it waits at most two seconds: a stuck
     * pipeline gets a stale answer rather than a hung read.
     */
    public enum ReadAfter {
        /** Every event published before the read is reflected: a producer in the same process reads its own writes. */
        PUBLISHED,
        /**
         * Every event whose request was completed before the read is reflected, which is what a
         * client that was answered has written; events still in flight are not waited for, so
         * a read stays quick however full the pipeline is (over HTTP, under overload).
         */
        COMPLETED
    }

    /**
     * The point a read taken now must reflect, for {@link #stats(long)}, {@link #aggregations(long)}
     * and {@link #metricsSnapshot(long)}. Taken when a request is read, it makes the read reflect
     * exactly what {@code after} says as of that moment, however late the read itself runs. Any thread.
     */
    public long readMark(ReadAfter after) {
        return after == ReadAfter.PUBLISHED ? ring.getCursor() : completion.completedThrough();
    }

    /**
     * Whether every event up to {@code mark} has passed every stage, so that a read of it would
     * not wait: an I/O thread may then answer it in place rather than hand it to a thread that can
     * wait. Any thread (under the inline topology, the caller runs the stages while it checks).
     */
    public boolean reached(long mark) {
        afterPublish();
        return state == State.NEW || ring.getMinimumGatingSequence() >= mark;
    }

    /** Every non-empty window not yet evicted, by start ascending, reflecting every event published before the call. */
    public List<WindowResult> aggregations() {
        return aggregations(ReadAfter.PUBLISHED);
    }

    /** Every non-empty window not yet evicted, by start ascending, reflecting what {@code after} says. */
    public List<WindowResult> aggregations(ReadAfter after) {
        return aggregations(readMark(after));
    }

    /** As {@link #aggregations(ReadAfter)}, reflecting every event up to {@code mark} ({@link #readMark}). */
    public List<WindowResult> aggregations(long mark) {
        awaitCaughtUp(mark);
        window.lock.lock();
        try {
            return window.windows.query(types);
        } finally {
            window.lock.unlock();
        }
    }

    /**
     * The windows {@code q} selects (a range of starts, the newest n, groups per type or source),
     * by start ascending, reflecting what {@code after} says; the first query grouping by types
     * or by sources starts counting per group, see {@link WindowStore#query(Interner, Interner, WindowQuery)}.
     */
    public List<WindowResult> aggregations(ReadAfter after, WindowQuery q) {
        return aggregations(readMark(after), q);
    }

    /** As {@link #aggregations(ReadAfter, WindowQuery)}, reflecting every event up to {@code mark} ({@link #readMark}). */
    public List<WindowResult> aggregations(long mark, WindowQuery q) {
        awaitCaughtUp(mark);
        window.lock.lock();
        try {
            return window.windows.query(types, sources, q);
        } finally {
            window.lock.unlock();
        }
    }

    /**
     * As {@link #aggregations(long, WindowQuery)} ({@link #aggregations(long)} for a null {@code q}),
     * but waiting at most {@code lockWaitNanos} for the windows: null if they were not had by then,
     * so that a thread that serves others can hand the query to one that may wait.
     */
    public List<WindowResult> aggregationsWithin(long mark, WindowQuery q, long lockWaitNanos) {
        awaitCaughtUp(mark);
        if (!lockWindows(lockWaitNanos)) {
            return null;
        }
        try {
            return q == null ? window.windows.query(types) : window.windows.query(types, sources, q);
        } finally {
            window.lock.unlock();
        }
    }

    /** Processing statistics reflecting every event published before the call. */
    public StatsSnapshot stats() {
        return stats(ReadAfter.PUBLISHED);
    }

    /** Processing statistics reflecting what {@code after} says. */
    public StatsSnapshot stats(ReadAfter after) {
        return stats(readMark(after));
    }

    /** Processing statistics reflecting every event up to {@code mark} ({@link #readMark}). */
    public StatsSnapshot stats(long mark) {
        return statsWithin(mark, -1);
    }

    /**
     * As {@link #stats(long)}, but gives up and returns null when the windows stay locked (by the
     * window stage or another read) for longer than {@code lockWaitNanos}; negative waits as long
     * as it takes. For a thread that must not be held up by a slow query.
     */
    public StatsSnapshot statsWithin(long mark, long lockWaitNanos) {
        awaitCaughtUp(mark);
        long throughput;
        MetricCounts.Copy pairs;
        // Only numbers are copied under the lock, which holds the window stage off: names are looked up after it.
        if (!lockWindows(lockWaitNanos)) {
            return null;
        }
        try {
            throughput = window.throughput.perSecond(settings.clock().millis());
            pairs = window.metrics.copy();
        } finally {
            window.lock.unlock();
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        for (int i = 0; i < pairs.keys().length; i++) {
            metrics.merge(metricName(pairs.keys()[i]), pairs.counts()[i], Long::sum);
        }
        long failed = 0;
        for (StageHandler h : handlers) {
            failed += h.failed.get();
        }
        long last = window.lastProcessedAt.get();
        LatencySummary h = latency.sinceStartSummary();
        LatencySummary recent = latency.recentSummary();
        Map<String, SinkStatus> sinks = currentSinkStatuses();
        long buffered = 0;
        for (SinkStatus s : sinks.values()) {
            buffered += s.buffered();
        }
        return new StatsSnapshot(
            validate.received.get(),
            window.processed.get(),
            filter.filtered.get() + transform.filtered.get(),
            validate.rejected.get() + failed,
            window.late.get(),
            throughput,
            last == Long.MIN_VALUE ? null : last,
            metrics,
            buffered,
            sinks,
            h.mean(),
            h.p50(),
            h.p90(),
            h.p99(),
            h.p999(),
            h.max(),
            ring.getBufferSize(),
            ringUsed(),
            recent);
    }

    /**
     * What a metrics scrape reads, reflecting every event published before the call (as
     * {@link #stats()}). Cheaper than {@link #stats()} under the window lock: the lock is held
     * only to copy the {@code type:source} counts as numbers and to count the windows; names are
     * looked up after it is released.
     */
    public MetricsSnapshot metricsSnapshot() {
        return metricsSnapshot(ReadAfter.PUBLISHED);
    }

    /** As {@link #metricsSnapshot()}, reflecting what {@code after} says. */
    public MetricsSnapshot metricsSnapshot(ReadAfter after) {
        return metricsSnapshot(readMark(after));
    }

    /** As {@link #metricsSnapshot()}, reflecting every event up to {@code mark} ({@link #readMark}). */
    public MetricsSnapshot metricsSnapshot(long mark) {
        return metricsSnapshotWithin(mark, -1);
    }

    /** As {@link #metricsSnapshot(long)}, or null when the windows stay locked longer than {@code lockWaitNanos} (see {@link #statsWithin}). */
    public MetricsSnapshot metricsSnapshotWithin(long mark, long lockWaitNanos) {
        awaitCaughtUp(mark);
        MetricCounts.Copy pairs;
        int windows;
        if (!lockWindows(lockWaitNanos)) {
            return null;
        }
        try {
            pairs = window.metrics.copy();
            windows = window.windows.windowCount();
        } finally {
            window.lock.unlock();
        }
        long[] keys = pairs.keys();
        long[] counts = pairs.counts();
        String[] typeNames = new String[keys.length];
        String[] sourceNames = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            long key = keys[i];
            boolean other = key == MetricCounts.OTHER;
            // Interned by the validate stage; the ids reached the window stage, and so this thread, through the ring and the lock.
            typeNames[i] = other ? WindowResult.OTHER : types.name(MetricCounts.typeId(key));
            sourceNames[i] = other ? WindowResult.OTHER : sources.name(MetricCounts.sourceId(key));
        }
        long failed = 0;
        for (StageHandler h : handlers) {
            failed += h.failed.get();
        }
        return new MetricsSnapshot(
            validate.received.get(),
            window.processed.get(),
            filter.filtered.get() + transform.filtered.get(),
            validate.rejected.get() + failed,
            window.late.get(),
            latency.snapshot(),
            ring.getBufferSize(),
            ringUsed(),
            currentSinkStatuses(),
            windows,
            new TypeSourceCounts(keys, typeNames, sourceNames, counts));
    }

    /** Says when backpressure starts and ends; producers tell it about each claim. */
    BackpressureNotices backpressure() {
        return backpressure;
    }

    private String metricName(long key) {
        if (key == MetricCounts.OTHER) {
            return WindowResult.OTHER;
        }
        // Interned by the validate stage; the ids reached the window stage, and so this thread, through the ring.
        return types.name(MetricCounts.typeId(key)) + ":" + sources.name(MetricCounts.sourceId(key));
    }

    /**
     * What each sink has written, failed, dropped and holds, by name, in the order they were added,
     * reflecting every event published before the call.
     */
    public Map<String, SinkStatus> sinkStatuses() {
        awaitCaughtUp(ring.getCursor());
        return currentSinkStatuses();
    }

    /** As {@link #sinkStatuses()}, as things stand, without waiting: for health checks. */
    private Map<String, SinkStatus> currentSinkStatuses() {
        Map<String, SinkStatus> result = new LinkedHashMap<>();
        List<Sink> sinks = settings.sinks();
        for (int i = 0; i < sinks.size(); i++) {
            result.put(sinks.get(i).name(), sinkStage.status(i));
        }
        return result;
    }

    /**
     * Whether every sink can take {@code events} more events on top of those already in the ring;
     * when one cannot, its name (for the refusal), else null. Any thread.
     */
    String sinkRefusing(int events) {
        List<Sink> sinks = settings.sinks();
        if (sinks.isEmpty()) {
            return null;
        }
        // The events on their way to the sinks: published, not yet past the sink stage (those past it
        // are in the sinks' own counts, even while later stages still hold their slots).
        long incoming = events + Math.max(0, positionBase + ring.getCursor() - sinkStage.passedThrough());
        for (int i = 0; i < sinks.size(); i++) {
            if (journal != null && sinks.get(i).catchesUpFromJournal()) {
                continue; // when full it falls behind and reads back from the journal; it never refuses
            }
            if (!sinks.get(i).admits(incoming)) {
                return sinks.get(i).name();
            }
        }
        return null;
    }

    /** The pipeline's health: accepting, not too full, and no sink failing. */
    public Health health() {
        State now = state;
        if (now == State.REPLAYING) {
            JournalReplay r = replay;
            long done = r == null ? replayRecords : r.done;
            return new Health(Health.Status.UNHEALTHY, String.format(java.util.Locale.ROOT,
                "replaying the journal: %,d of %,d records; events are taken once it is done", done, replayRecords));
        }
        if (now != State.RUNNING) {
            return new Health(Health.Status.UNHEALTHY, "processor is " + now.name().toLowerCase());
        }
        String journalProblem = journal == null ? null : journal.refusal();
        if (journalProblem != null) {
            return new Health(Health.Status.UNHEALTHY, "journal: " + journalProblem.replace(", retry later", ""));
        }
        long used = ringUsed();
        int capacity = ring.getBufferSize();
        if (used >= capacity) {
            return new Health(Health.Status.UNHEALTHY, "pipeline full");
        }
        if (used * 10 > capacity * 9L) {
            return new Health(Health.Status.DEGRADED, "pipeline over 90% full");
        }
        for (Map.Entry<String, SinkStatus> e : currentSinkStatuses().entrySet()) {
            SinkStatus s = e.getValue();
            if (s.failing()) {
                return new Health(Health.Status.DEGRADED, "sink " + e.getKey() + " failing: " + s.lastError());
            }
        }
        return new Health(Health.Status.HEALTHY, null);
    }

    /** Takes the window lock, waiting at most {@code waitNanos} (negative: as long as it takes); false if not taken. */
    private boolean lockWindows(long waitNanos) {
        if (waitNanos < 0) {
            window.lock.lock();
            return true;
        }
        try {
            return window.lock.tryLock(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until every event up to {@code target} (a {@link #readMark}) has passed the last stage, at most {@value
     * #QUERY_WAIT_NANOS} ns; a stuck pipeline then gets a stale answer rather than a hung query.
     * Stages publish their counters before their sequence moves, so once the last stage is past
     * an event, every figure includes it.
     */
    private void awaitCaughtUp(long target) {
        afterPublish();
        if (ring.getMinimumGatingSequence() >= target || state == State.NEW) {
            return;
        }
        long deadline = System.nanoTime() + QUERY_WAIT_NANOS;
        int spins = 0;
        while (ring.getMinimumGatingSequence() < target && System.nanoTime() < deadline) {
            afterPublish();
            if (++spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Stops taking events, waits for everything accepted to pass every stage, then closes the
     * sinks. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED || state == State.CLOSING) {
                return;
            }
            boolean started = state == State.RUNNING;
            state = State.CLOSING;
            if (started && disruptor != null) {
                try {
                    disruptor.shutdown(settings.drainTimeoutMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    settings.errorHandler().onError("close", e);
                    disruptor.halt();
                }
            } else if (started) {
                drainInline();
            }
            for (Sink s : settings.sinks()) {
                closeQuietly(s);
            }
            if (journal != null) {
                journal.close(); // after the sinks, so its last checkpoint has them delivered through the end
            }
            if (latencyTicker != null) {
                latencyTicker.close();
            }
            state = State.CLOSED;
        }
    }

    private void closeQuietly(Sink s) {
        try {
            s.close();
        } catch (Exception e) {
            settings.errorHandler().onError("sink " + s.name(), e);
        }
    }

    /** Inline topology: runs the stages over what producers published (the producers call this). */
    void afterPublish() {
        if (inline != null) {
            inline.drain();
        }
    }

    /** Inline topology, closing: processes until every claimed slot is published and processed, or the drain timeout. */
    private void drainInline() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.drainTimeoutMillis());
        while (ring.getMinimumGatingSequence() < ring.getCursor() && System.nanoTime() < deadline) {
            inline.drain();
            Thread.onSpinWait();
        }
    }

    /** Health of the pipeline. */
    public record Health(Status status, String reason) {
        public enum Status { HEALTHY, DEGRADED, UNHEALTHY }
    }
}
