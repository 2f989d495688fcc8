package io.streamprocessor.transport;

import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.pipeline.Topology;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.FluentWait;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium: after events are posted its charts hold data, the
 * browser's console shows no error, and a screenshot is saved ({@code target/dashboard.png}). Then
 * the server restarts on the same port: the page says it cannot reach it, keeps polling, and
 * draws again once it is back, with counters that started over.
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How many points of each chart hold data: positive rates, latencies and window counts, any ring reading. */
    private static final String CHART_POINTS = """
        var d = window.dashboard;
        if (!d) { return null; }
        function count(u, positive) {
          var n = 0;
          for (var s = 1; s < u.data.length; s++) {
            u.data[s].forEach(function (v) { if (v != null && (!positive || v > 0)) { n++; } });
          }
          return n;
        }
        return { rates: count(d.charts.rates, true), latency: count(d.charts.latency, true),
          ring: count(d.charts.ring, false), windows: count(d.charts.windows, true),
          lastIn: d.charts.rates.data[1][d.charts.rates.data[1].length - 1],
          polls: d.polls, failures: d.failures, restarts: d.restarts,
          health: document.getElementById('health').textContent,
          problem: document.getElementById('problem').hidden ? null : document.getElementById('problem').textContent,
          types: document.querySelectorAll('#types .bar').length,
          sinks: document.querySelectorAll('#sinks tbody tr').length };
        """;

    private static final class Server implements AutoCloseable {
        final HttpServer http;

        Server(int port) throws InterruptedException {
            StreamProcessor p = StreamProcessor.builder().topology(Topology.SINGLE).addSink(CountingSink.counting()).build().start();
            try {
                http = HttpServer.start(p, ServerSettings.builder().host("127.0.0.1").port(port).build());
            } catch (InterruptedException | RuntimeException e) {
                p.close();
                throw e;
            }
        }

        void postEvents(long now) {
            StringBuilder batch = new StringBuilder("[");
            String[] types = {"metric", "metric", "metric", "click", "log"};
            for (int i = 0; i < 25; i++) {
                batch.append(i == 0 ? "" : ",").append(EventText.event(types[i % types.length], "web-" + (i % 3), now - i, 10 + i));
            }
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/events/batch"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.append(']').toString()))
                .build();
            try {
                HttpResponse<String> answer = TestServer.CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
            } catch (IOException e) {
                throw new AssertionError("posting events", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> page(ChromeDriver browser) {
        return (Map<String, Object>) browser.executeScript(CHART_POINTS);
    }

    private static long n(Map<String, Object> page, String key) {
        return ((Number) page.get(key)).longValue();
    }

    /** Waits, polling the page every 100 ms, until the condition holds; the failure shows the page's last state. */
    private static Map<String, Object> await(ChromeDriver browser, String what, Function<Map<String, Object>, Boolean> condition) {
        List<Map<String, Object>> last = new ArrayList<>(List.of(Map.of()));
        try {
            new FluentWait<>(browser).withTimeout(WAIT).pollingEvery(Duration.ofMillis(100)).until(b -> {
                Map<String, Object> p = page(b);
                last.set(0, p == null ? Map.of() : p);
                return p != null && condition.apply(p);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "; the page showed " + last.get(0));
        }
        return last.get(0);
    }

    private static List<String> consoleErrors(ChromeDriver browser) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path file = Path.of("target", name);
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void chartsFillWithoutConsoleErrorsAndThePageRidesOutARestart() throws Exception {
        ChromeDriver browser = HeadlessChromium.start();
        Server first = new Server(0);
        Server second = null;
        int port = first.http.port();
        try {
            browser.get("http://127.0.0.1:" + port + "/");
            await(browser, "the first poll", p -> n(p, "polls") >= 1);
            Map<String, Object> shown = await(browser, "every chart to hold data while events arrive", p -> {
                first.postEvents(System.currentTimeMillis());
                // a few points each, so that the screenshot shows lines
                return n(p, "rates") >= 3 && n(p, "latency") >= 3 && n(p, "ring") >= 3 && n(p, "windows") > 0 && n(p, "types") > 0;
            });
            assertEquals("healthy", shown.get("health"));
            assertEquals(null, shown.get("problem"), "no problem shown while the server answers");
            assertEquals(1L, shown.get("sinks"), "the sink's row");
            assertEquals(List.of(), consoleErrors(browser), "the browser's console");
            screenshot(browser, "dashboard.png");

            first.close();
            Map<String, Object> down = await(browser, "the page to notice the server is gone",
                p -> "unreachable".equals(p.get("health")) && p.get("problem") != null);
            assertTrue(((String) down.get("problem")).startsWith("Cannot reach the server"), down.toString());
            long failures = n(down, "failures");
            await(browser, "polling to go on while the server is down", p -> n(p, "failures") > failures);

            second = new Server(port);
            Server restarted = second;
            await(browser, "the page to reach the new server and see its counters start over",
                p -> "healthy".equals(p.get("health")) && n(p, "restarts") >= 1 && p.get("problem") == null);
            await(browser, "rates again from the new server's counters", p -> {
                restarted.postEvents(System.currentTimeMillis());
                return p.get("lastIn") instanceof Number in && in.doubleValue() > 0;
            });
            screenshot(browser, "dashboard-after-restart.png");
            List<String> unexpected = new ArrayList<>();
            for (String e : consoleErrors(browser)) {
                if (!e.contains("net::ERR_")) { // the polls that failed while the server was down
                    unexpected.add(e);
                }
            }
            assertEquals(List.of(), unexpected, "the browser's console across the restart");
            assertFalse(browser.getPageSource().contains("could not show"), "the page rendered every answer");
        } finally {
            browser.quit();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
