package io.streamprocessor.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server process's merged output, read on a thread of its own so the pipe never fills, with the
 * time each line arrived. The benchmarks wait on it for lines ("listening on", "replayed") and read
 * numbers out of it. Thread-safe: the reading thread appends, any thread waits or reads.
 */
public final class ServerOutput {
    private final StringBuilder text = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    public ServerOutput(InputStream in) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    long now = System.nanoTime();
                    synchronized (text) {
                        text.append(line).append('\n');
                        lines.add(line);
                        times.add(now);
                        text.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "server-output");
        t.setDaemon(true);
        t.start();
    }

    /** Waits until {@code word} appears, at most {@code seconds}; false if it did not. */
    public boolean await(String word, int seconds) throws InterruptedException {
        return find(Pattern.compile(Pattern.quote(word)), seconds) != null;
    }

    /** Waits until {@code p} matches the output, at most {@code seconds}; the match, or null. */
    public Matcher find(Pattern p, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (text) {
            while (true) {
                Matcher m = p.matcher(text);
                if (m.find()) {
                    return m;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                text.wait(left);
            }
        }
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    /** The number right after the last {@code word} in the output, or -1. */
    public long number(String word) {
        String t = text();
        int i = t.lastIndexOf(word);
        if (i < 0) {
            return -1;
        }
        int s = i + word.length();
        int e = s;
        while (e < t.length() && Character.isDigit(t.charAt(e))) {
            e++;
        }
        return e > s ? Long.parseLong(t.substring(s, e)) : -1;
    }

    /** Each line so far, shortened, with its arrival in ms after {@code start} ({@link System#nanoTime()}). */
    public String timeline(long start) {
        StringBuilder b = new StringBuilder();
        synchronized (text) {
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                b.append("\n    ").append(String.format(Locale.ROOT, "%,6d", TimeUnit.NANOSECONDS.toMillis(times.get(i) - start)))
                    .append("  ").append(l.length() > 150 ? l.substring(0, 150) + "…" : l);
            }
        }
        return b.toString();
    }
}
