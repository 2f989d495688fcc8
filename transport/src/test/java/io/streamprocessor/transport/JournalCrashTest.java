package io.streamprocessor.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's promise, from outside, with the launcher as a process of its own: a 200 means the
 * events survive {@code kill -9}. Clients post single events and batches at once, the process is
 * killed at a random moment and restarted on the same journal, for several rounds; after each
 * restart every acknowledged event of every round is in the windows, in the {@code /stats} totals
 * and in a file sink's output, none is counted twice, and nothing appears that was never sent. Some
 * restarts are themselves killed the moment they begin to replay the journal.
 *
 * <p>The kill moments and the clients' choices come from a seed that every failure names; replay a
 * run with {@code -Djournalcrash.seed=N}.
 */
class JournalCrashTest {
    private static final long SEED = Long.getLong("journalcrash.seed", 0x10_5EED_0A11L);
    private static final int ROUNDS = 5;
    private static final int CLIENTS = 4;
    private static final String[] TYPES = {"metric", "log", "trace", "évènement"};
    private static final String[] SOURCES = {"web-1", "web-2", "db-传", "edge-🚀", "batch"};
    private static final String REPLAYING = "stream-processor: replaying the journal";

    @TempDir
    Path dir;

    /** What the clients sent and what the server answered; filled by the client threads. */
    private static final class Ledger {
        /** Every id sent, with its unique value. */
        final Map<String, Long> sent = new ConcurrentHashMap<>();
        /** Answered 200: journaled. */
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        /** Answered with another status: nothing of the request was taken. */
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
        final AtomicLong nextValue = new AtomicLong(1);
    }

    @Test
    void everyAcknowledgedEventSurvivesKillNineCountedOnceRoundAfterRound() throws Exception {
        Path out = dir.resolve("out");
        Path yaml = dir.resolve("stream-processor.yaml");
        Files.writeString(yaml, "sinks:\n  - type: file\n    path: " + out.resolve("events.ndjson") + "\n");
        // Tumbling windows: each event is in one window, so the windows' counts add up to the events aggregated.
        List<String> args = List.of("--config", yaml.toString(), "--port", "0", "--journal.dir", dir.resolve("journal").toString(),
            "--window.size", "60s", "--window.slide", "60s");
        Random random = new Random(SEED);
        Ledger ledger = new Ledger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        RunningLauncher server = RunningLauncher.start(args);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                String where = "seed " + SEED + ", round " + round;
                int ackedBefore = ledger.acknowledged.size();
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<Void>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    RunningLauncher target = server;
                    Random choices = new Random(random.nextLong());
                    String prefix = "r" + round + "-c" + c;
                    running.add(clients.submit(() -> post(target, choices, prefix, ledger, stop)));
                }
                long began = System.nanoTime();
                long deadline = began + TimeUnit.SECONDS.toNanos(30);
                while (ledger.acknowledged.size() == ackedBefore) {
                    assertTrue(System.nanoTime() < deadline, where + ": no event acknowledged within 30 s; stderr:\n" + server.err);
                    LockSupport.parkNanos(1_000_000);
                }
                long firstAck = System.nanoTime();
                int delay = 300 + random.nextInt(1_201);
                Thread.sleep(delay); // the kill's random moment, with the clients posting: time itself is what is awaited
                assertEquals(128 + 9, server.kill(), where + ": the process died of SIGKILL");
                stop.set(true);
                for (Future<Void> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }

                long killed = System.nanoTime();
                boolean killedReplaying = random.nextInt(3) == 0;
                if (killedReplaying) { // and once more, the moment it starts to replay the journal
                    assertEquals(128 + 9, RunningLauncher.startAndKillAt(args, REPLAYING), where + ": killed replaying");
                }
                server = RunningLauncher.start(args);
                String replaying = server.beforeBanner.stream()
                    .filter(l -> l.contains(" INFO " + REPLAYING) && LogLines.at("INFO", l).startsWith(REPLAYING))
                    .findFirst().orElse(null);
                assertTrue(replaying != null && replaying.contains(server.base.toString()),
                    where + ": before the banner, a line says the journal is being replayed, naming the address: "
                        + server.beforeBanner);
                long restarted = System.nanoTime();
                SinkOutput file = verify(server, ledger, out, where);
                System.err.println("JournalCrashTest " + where + ": killed after " + delay + " ms"
                    + (killedReplaying ? ", and again replaying" : "") + "; sent " + ledger.sent.size()
                    + ", acknowledged " + ledger.acknowledged.size() + ", in the sink " + file.byId.size() + " in "
                    + file.lines + " lines; "
                    + "first 200 after " + millis(firstAck - began) + " ms, restart took " + millis(restarted - killed)
                    + " ms, checks " + millis(System.nanoTime() - restarted) + " ms; the restart said:\n  "
                    + server.err.toString().strip().replace("\n", "\n  "));
            }
        } finally {
            clients.shutdownNow();
            server.close();
        }
    }

    /** Posts single events and batches of 1 to 200 until told to stop or no answer comes. */
    private static Void post(RunningLauncher server, Random choices, String prefix, Ledger ledger, AtomicBoolean stop)
        throws InterruptedException {
        int n = 0;
        while (!stop.get()) {
            boolean single = choices.nextInt(4) == 0;
            int count = single ? 1 : 1 + choices.nextInt(200);
            List<String> ids = new ArrayList<>(count);
            StringJoiner events = new StringJoiner(",");
            for (int i = 0; i < count; i++) {
                String id = prefix + "-" + n++;
                long value = ledger.nextValue.getAndIncrement();
                ledger.sent.put(id, value);
                ids.add(id);
                events.add("{\"id\":\"" + id + "\",\"type\":" + Json.quote(TYPES[choices.nextInt(TYPES.length)])
                    + ",\"source\":" + Json.quote(SOURCES[choices.nextInt(SOURCES.length)])
                    + ",\"data\":{\"value\":" + value + ",\"tags\":[\"é\",\"传\",\"🚀\"]}}");
            }
            HttpResponse<String> r;
            try {
                r = server.post(single ? "/events" : "/events/batch", single ? events.toString() : "[" + events + "]");
            } catch (IOException e) {
                return null; // no answer: sent, not acknowledged, and the server is gone
            }
            if (r.statusCode() == 200) {
                Map<String, Object> expected = single ? Map.of("success", true, "message", "Event processed")
                    : Map.of("total", (long) count, "processed", (long) count, "filtered", 0L);
                if (!expected.equals(Json.object(r.body()))) {
                    ledger.wrongAnswers.add(ids.get(0) + ": " + r.body());
                }
                ledger.acknowledged.addAll(ids);
            } else {
                if (r.statusCode() != 503) {
                    ledger.wrongAnswers.add(ids.get(0) + ": " + r.statusCode() + " " + r.body());
                }
                ledger.refused.addAll(ids);
            }
        }
        return null;
    }

    /** Checks everything a restarted server and its file sink show against the ledger; returns what the sink wrote. */
    private static SinkOutput verify(RunningLauncher server, Ledger ledger, Path out, String where) throws Exception {
        assertEquals(List.of(), List.copyOf(ledger.wrongAnswers), where + ": answers other than the API's");
        // The sink may still be writing what it had not written before the kill: wait (bounded) until it holds as many
        // events as the server counts and its buffer is empty; the assertions below say what differs if it never does.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        SinkOutput file;
        while (true) {
            Map<String, Object> stats = server.get("/stats");
            file = SinkOutput.read(out, true);
            boolean settled = file.problems.isEmpty() && Json.longAt(stats, "bufferSize") == 0
                && file.byId.size() == Json.longAt(stats, "stats.totalProcessed");
            if (settled || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(50_000_000);
        }
        Map<String, Object> stats = server.get("/stats");
        Map<String, Object> aggregations = server.get("/aggregations");

        assertEquals(List.of(), file.problems, where + ": every line of the file sink's output is a whole JSON event");
        Set<String> neverSent = new TreeSet<>();
        List<String> otherValue = new ArrayList<>();
        for (Map.Entry<String, SinkOutput.Written> e : file.byId.entrySet()) {
            Long sent = ledger.sent.get(e.getKey());
            if (sent == null) {
                neverSent.add(e.getKey());
            } else if (!sent.equals(e.getValue().value())) {
                otherValue.add(e.getKey() + " sent with " + sent + ", written with " + e.getValue().value());
            }
        }
        assertEquals(Set.of(), neverSent, where + ": nothing in the file that was never sent");
        assertEquals(List.of(), otherValue, where + ": each event written as sent");
        Set<String> missing = new HashSet<>(ledger.acknowledged);
        missing.removeAll(file.byId.keySet());
        assertEquals(Set.of(), sample(missing), where + ": every acknowledged event is in the file (" + missing.size()
            + " of " + ledger.acknowledged.size() + " missing)");
        Set<String> taken = new HashSet<>(ledger.refused);
        taken.retainAll(file.byId.keySet());
        assertEquals(Set.of(), sample(taken), where + ": no event of a request answered 503 is in the file");

        long events = file.byId.size();
        long sum = 0;
        Map<String, Long> byType = new HashMap<>();
        Map<String, Long> byTypeAndSource = new HashMap<>();
        for (SinkOutput.Written e : file.byId.values()) {
            sum += e.value().longValue();
            byType.merge(e.type(), 1L, Long::sum);
            byTypeAndSource.merge(e.type() + ":" + e.source(), 1L, Long::sum);
        }
        String counters = where + ": /stats after the restart counts each event of the file once: " + stats.get("stats");
        assertEquals(events, Json.longAt(stats, "stats.totalProcessed"), counters);
        assertEquals(events, Json.longAt(stats, "stats.totalReceived"), counters);
        assertEquals(0, Json.longAt(stats, "stats.totalRejected"), counters);
        assertEquals(0, Json.longAt(stats, "stats.totalFiltered"), counters);
        assertEquals(0, Json.longAt(stats, "stats.totalLate"), counters);
        assertEquals(byTypeAndSource, Json.at(stats, "metrics"), where + ": /stats metrics per type:source");

        long windowCount = 0;
        long valueCount = 0;
        double windowSum = 0;
        Map<String, Long> windowTypes = new HashMap<>();
        for (Object w : (List<?>) Json.at(aggregations, "aggregations")) {
            windowCount += Json.longAt(w, "count");
            valueCount += Json.longAt(w, "valueCount");
            windowSum += ((Number) Json.at(w, "sum")).doubleValue();
            ((Map<?, ?>) Json.at(w, "eventsByType")).forEach((t, n) -> windowTypes.merge((String) t, (Long) n, Long::sum));
        }
        String windows = where + ": the windows hold each event of the file once: " + aggregations;
        assertEquals(events, windowCount, windows);
        assertEquals(events, valueCount, windows);
        assertEquals((double) sum, windowSum, windows);
        assertEquals(byType, windowTypes, windows);
        return file;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** At most 20 of {@code ids}, for a readable failure. */
    private static Set<String> sample(Set<String> ids) {
        return new TreeSet<>(ids).stream().limit(20).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aCleanRestartBringsBackTheSameWindowsAndTotalsAndWritesNothingTwice() throws Exception {
        Path out = dir.resolve("out");
        Path yaml = dir.resolve("stream-processor.yaml");
        Files.writeString(yaml, "sinks:\n  - type: file\n    path: " + out.resolve("events.ndjson") + "\n");
        // The default sliding windows (60 s, every 10 s): each event is in six of them.
        List<String> args = List.of("--config", yaml.toString(), "--port", "0", "--journal.dir", dir.resolve("journal").toString());
        long now = System.currentTimeMillis();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String value = i % 10 == 9 ? "" : "\"value\":" + (i % 3 == 0 ? i + ".5" : String.valueOf(i)) + ",";
            events.add("{\"id\":\"k-" + i + "\",\"type\":" + Json.quote(TYPES[i % TYPES.length]) + ",\"source\":"
                + Json.quote(SOURCES[i % SOURCES.length]) + ",\"timestamp\":" + (now - 100_000 + i * 331L)
                + ",\"data\":{" + value + "\"nested\":{\"a\":[1,2.50,\"🚀\"]}}}");
        }
        Map<String, Object> aggregations;
        Map<String, Object> stats;
        try (RunningLauncher first = RunningLauncher.start(args)) {
            HttpResponse<String> batch = first.post("/events/batch", EventText.batch(events.subList(0, 200)));
            assertEquals(Map.of("total", 200L, "processed", 200L, "filtered", 0L), Json.object(batch.body()));
            for (String e : events.subList(200, 300)) {
                assertEquals(200, first.post("/events", e).statusCode(), e);
            }
            HttpResponse<String> invalid = first.post("/events", "{\"type\":\"metric\"}");
            assertEquals(400, invalid.statusCode(), invalid.body());
            aggregations = first.get("/aggregations");
            stats = first.get("/stats");
            assertEquals(300, Json.longAt(stats, "stats.totalProcessed"));
            assertEquals(1, Json.longAt(stats, "stats.totalRejected"));
            assertEquals(0, first.terminate(), "SIGTERM drains and exits 0; stderr:\n" + first.err);
        }
        try (RunningLauncher second = RunningLauncher.start(args)) {
            assertEquals(aggregations, second.get("/aggregations"), "the same windows after a restart");
            Map<String, Object> again = second.get("/stats");
            for (String total : List.of("totalReceived", "totalProcessed", "totalFiltered", "totalRejected", "totalLate")) {
                assertEquals(Json.longAt(stats, "stats." + total), Json.longAt(again, "stats." + total), total + ": " + again);
            }
            assertEquals(Json.at(stats, "metrics"), Json.at(again, "metrics"), "/stats metrics after a restart");

            String one = "{\"id\":\"k-300\",\"type\":\"metric\",\"source\":\"web-1\",\"data\":{\"value\":7}}";
            assertEquals(200, second.post("/events", one).statusCode(), "accepts events after the replay");
            assertEquals(301, Json.longAt(second.get("/stats"), "stats.totalProcessed"), "the totals continue");
            assertEquals(0, second.terminate(), "SIGTERM drains and exits 0; stderr:\n" + second.err);
        }
        SinkOutput file = SinkOutput.read(out, true);
        assertEquals(List.of(), file.problems);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i <= 300; i++) {
            expected.add("k-" + i);
        }
        assertEquals(expected, file.byId.keySet(), "every event in the file");
        assertEquals(expected.size(), file.lines, "a sink that was drained on SIGTERM resumes after its last event: none written twice");
    }
}
