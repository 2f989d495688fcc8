package io.streamprocessor.transport.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamprocessor.connectors.BufferSettings;
import io.streamprocessor.connectors.kafka.KafkaSink;
import io.streamprocessor.connectors.kafka.KafkaSinkSettings;
import io.streamprocessor.connectors.kafka.KafkaTestBroker;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.transport.http.HttpServer;
import io.streamprocessor.transport.http.ServerSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka sink end to end: events POSTed over HTTP to a server whose processor has a Kafka sink,
 * read back from a real broker (KRaft, in this JVM) field by field; and a broker that stops while
 * requests keep coming, then comes back.
 */
class KafkaSinkHttpTest {
    private static final long T0 = 1_699_380_000_000L;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonFactory JSON = new JsonFactory();

    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** A server on an ephemeral port whose processor has one sink, {@code kafka}, publishing to {@code topic}. */
    private static HttpServer serve(String topic, BufferSettings buffer) throws InterruptedException {
        KafkaSinkSettings settings = KafkaSinkSettings.builder().bootstrapServers(broker.bootstrapServers()).topic(topic)
            .producer(Map.of("max.block.ms", "1000", "request.timeout.ms", "1000", "delivery.timeout.ms", "2000"))
            .build();
        StreamProcessor p = StreamProcessor.builder().addSink(KafkaSink.create("kafka", settings, buffer)).build().start();
        return HttpServer.start(p, ServerSettings.builder().host("127.0.0.1").port(0).build());
    }

    private static HttpResponse<String> send(HttpServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20));
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postedEventsArriveInTheTopicFieldByField() throws Exception {
        broker.createTopic("http-events", 3);
        long before = System.currentTimeMillis();
        HttpServer server = serve("http-events", BufferSettings.defaults());
        try {
            HttpResponse<String> one = send(server, "POST", "/events", "{\"id\":\"one\",\"type\":\"metric\",\"source\":\"api-é\","
                + "\"timestamp\":" + T0 + ",\"data\":{\"text\":\"é 传 🚀 \\\"q\\\"\",\"nested\":{\"list\":[1,{\"deep\":true},null],"
                + "\"empty\":{}},\"price\":1.50,\"big\":1e3,\"neg\":-0.25}}");
            assertEquals(200, one.statusCode(), one.body());
            HttpResponse<String> batch = send(server, "POST", "/events/batch", "["
                + "{\"id\":\"b1\",\"type\":\"log\",\"source\":\"web\",\"timestamp\":" + (T0 + 1) + ",\"data\":{\"level\":\"error\"}},"
                + "{\"id\":\"b2\",\"type\":\"log\",\"source\":\"web\",\"timestamp\":" + (T0 + 2) + ",\"data\":{\"level\":\"info\"}},"
                + "{\"type\":\"click\",\"source\":\"api-é\",\"timestamp\":" + (T0 + 3) + ",\"data\":{}}]");
            assertEquals(200, batch.statusCode(), batch.body());
        } finally {
            server.close(); // drains: the sink has delivered everything when this returns
        }
        long after = System.currentTimeMillis();

        List<ConsumerRecord<String, String>> records = broker.readAll("http-events");
        assertEquals(4, records.size());
        Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
        Map<String, List<Object>> idsBySource = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            Map<String, Object> e = object(r.value());
            assertEquals(List.of("id", "type", "source", "timestamp", "receivedAt", "data"), new ArrayList<>(e.keySet()), r.value());
            assertEquals(e.get("source"), r.key(), "keyed by source");
            long receivedAt = (Long) e.get("receivedAt");
            assertTrue(receivedAt >= before && receivedAt <= after, "receivedAt is server time: " + r.value());
            assertEquals(receivedAt, r.timestamp(), "the record's time is receivedAt");
            byId.put((String) e.get("id"), r);
            idsBySource.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e.get("id"));
        }

        ConsumerRecord<String, String> r = byId.get("one");
        Map<String, Object> e = object(r.value());
        assertEquals("metric", e.get("type"));
        assertEquals("api-é", e.get("source"));
        assertEquals(T0, e.get("timestamp"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) e.get("data");
        assertEquals("é 传 🚀 \"q\"", data.get("text"));
        Map<String, Object> deep = new LinkedHashMap<>();
        deep.put("deep", true);
        List<Object> list = new ArrayList<>();
        list.add(1L);
        list.add(deep);
        list.add(null);
        assertEquals(Map.of("list", list, "empty", Map.of()), data.get("nested"));
        assertEquals(-0.25, data.get("neg"));
        assertTrue(r.value().contains(",\"price\":1.50,\"big\":1e3,"), "numbers exactly as sent: " + r.value());

        assertEquals(Map.of("level", "error"), object(byId.get("b1").value()).get("data"));
        assertEquals(List.of("b1", "b2"), idsBySource.get("web"), "one source's events in the order sent");
        List<Object> api = idsBySource.get("api-é");
        assertEquals(2, api.size());
        assertEquals("one", api.get(0));
        String generated = (String) api.get(1);
        assertTrue(generated != null && !generated.isEmpty(), "an event sent without id gets one: " + api);
        assertEquals("click", object(byId.get(generated).value()).get("type"));
    }

    @Test
    void noAcknowledgedEventIsMissingAfterTheBrokerStopsMidStreamAndComesBack() throws Exception {
        broker.createTopic("http-outage", 2);
        HttpServer server = serve("http-outage", BufferSettings.builder().bufferEvents(100).flushEvents(50)
            .retry(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        List<String> acknowledged = new ArrayList<>();
        int next = 0;
        boolean brokerDown = false;
        try {
            for (int i = 0; i < 5; i++, next += 10) {
                assertEquals(200, postBatch(server, next, acknowledged).statusCode());
            }
            broker.stop();
            brokerDown = true;
            String refusal = null;
            for (int i = 0; i < 30 && refusal == null; i++, next += 10) {
                HttpResponse<String> r = postBatch(server, next, acknowledged);
                if (r.statusCode() == 503) {
                    refusal = r.body();
                    assertTrue(r.headers().firstValue("Retry-After").isPresent(), "503 says when to retry");
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                }
            }
            assertEquals("{\"success\":false,\"error\":\"sink kafka is behind, retry later\"}", refusal,
                "a full buffer refuses requests");
            awaitTrue(() -> kafkaSink(server).get("status").equals("failing"), "the sink fails");
            String lastError = (String) kafkaSink(server).get("lastError");
            assertTrue(lastError.startsWith("kafka at " + broker.bootstrapServers() + " unreachable"), lastError);
            Map<String, Object> health = object(send(server, "GET", "/health", null).body());
            assertEquals("degraded", health.get("status"));
            assertTrue(((String) health.get("reason")).contains("kafka"), health.toString());

            broker.restart();
            brokerDown = false;
            awaitTrue(() -> (Long) kafkaSink(server).get("buffered") == 0L, "the sink drains");
            assertEquals(200, postBatch(server, next, acknowledged).statusCode(), "requests are taken again");
        } finally {
            if (brokerDown) {
                broker.restart();
            }
            server.close();
        }
        List<String> inTopic = new ArrayList<>();
        for (ConsumerRecord<String, String> r : broker.readAll("http-outage")) {
            inTopic.add((String) object(r.value()).get("id"));
        }
        for (String id : acknowledged) {
            assertTrue(inTopic.contains(id), "acknowledged event " + id + " is in the topic");
        }
    }

    /** POSTs a batch of ten events {@code e<from>..}; when answered 200, their ids are acknowledged. */
    private static HttpResponse<String> postBatch(HttpServer server, int from, List<String> acknowledged) throws Exception {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = from; i < from + 10; i++) {
            j.add("{\"id\":\"e" + i + "\",\"type\":\"metric\",\"source\":\"s-" + (i % 3) + "\",\"timestamp\":" + (T0 + i)
                + ",\"data\":{\"value\":" + i + "}}");
        }
        HttpResponse<String> r = send(server, "POST", "/events/batch", j.toString());
        if (r.statusCode() == 200) {
            for (int i = from; i < from + 10; i++) {
                acknowledged.add("e" + i);
            }
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kafkaSink(HttpServer server) {
        try {
            Map<String, Object> stats = object(send(server, "GET", "/stats", null).body());
            return (Map<String, Object>) ((Map<String, Object>) stats.get("sinks")).get("kafka");
        } catch (Exception e) {
            throw new AssertionError("GET /stats", e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after 30 s waiting until " + what);
            LockSupport.parkNanos(20_000_000);
        }
    }

    /** A JSON object as maps (in member order), lists, strings, longs, doubles, booleans and nulls. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            Object v = value(p, p.nextToken());
            assertEquals(null, p.nextToken(), "one JSON value: " + text);
            return (Map<String, Object>) v;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new AssertionError("unexpected " + t);
        }
    }
}
