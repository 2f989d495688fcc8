package io.streamprocessor.transport.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.streamprocessor.engine.pipeline.IngestRequest;
import io.streamprocessor.engine.pipeline.StreamProcessor;
import io.streamprocessor.engine.sink.SinkStatus;
import io.streamprocessor.engine.stats.LatencySummary;
import io.streamprocessor.engine.stats.StatsSnapshot;
import io.streamprocessor.engine.window.GroupStats;
import io.streamprocessor.engine.window.WindowGroups;
import io.streamprocessor.engine.window.WindowResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the query responses of the API ({@code /aggregations}, {@code /stats}, {@code /health})
 * and batch results with errors, with jackson-core's streaming generator into a buffer.
 * Numbers that are whole are written as integers ({@code 12500}, not {@code 12500.0}).
 */
public final class JsonBodies {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonBodies() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static ByteBuf write(ByteBuf buf, Body body) {
        try (JsonGenerator g = FACTORY.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf;
    }

    /** {@code {"aggregations":[...],"count":n}}. */
    public static ByteBuf aggregations(ByteBuf buf, List<WindowResult> windows) {
        return write(buf, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("aggregations");
            for (WindowResult w : windows) {
                window(g, w);
            }
            g.writeEndArray();
            g.writeNumberField("count", windows.size());
            g.writeEndObject();
        });
    }

    private static void window(JsonGenerator g, WindowResult w) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("window");
        g.writeNumberField("start", w.start());
        g.writeNumberField("end", w.end());
        g.writeEndObject();
        g.writeNumberField("count", w.count());
        g.writeFieldName("sum");
        number(g, w.sum());
        g.writeFieldName("avg");
        number(g, w.avg());
        g.writeFieldName("min");
        number(g, w.min());
        g.writeFieldName("max");
        number(g, w.max());
        g.writeNumberField("valueCount", w.valueCount());
        g.writeNumberField("distinctSources", w.distinctSources());
        if (w.distinctSourcesApproximate()) {
            g.writeBooleanField("distinctSourcesApproximate", true);
        }
        g.writeObjectFieldStart("eventsByType");
        for (Map.Entry<String, Long> e : w.eventsByType().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeFieldName("p50");
        number(g, w.p50());
        g.writeFieldName("p95");
        number(g, w.p95());
        g.writeFieldName("p99");
        number(g, w.p99());
        for (Map.Entry<String, Object> e : w.custom().entrySet()) {
            g.writeFieldName(e.getKey());
            value(g, e.getValue());
        }
        if (w.groups() != null) {
            groups(g, w.groups());
        }
        g.writeEndObject();
    }

    /** {@code "groups":{"<name>":{"count":..,"sum":..,...},"_other":{...}}}, then {@code "ungrouped":n} when n > 0. */
    private static void groups(JsonGenerator g, WindowGroups groups) throws IOException {
        g.writeObjectFieldStart("groups");
        for (Map.Entry<String, GroupStats> e : groups.groups().entrySet()) {
            GroupStats s = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("count", s.count());
            g.writeFieldName("sum");
            number(g, s.sum());
            g.writeFieldName("avg");
            number(g, s.avg());
            g.writeFieldName("min");
            number(g, s.min());
            g.writeFieldName("max");
            number(g, s.max());
            g.writeNumberField("valueCount", s.valueCount());
            g.writeFieldName("p50");
            number(g, s.p50());
            g.writeFieldName("p95");
            number(g, s.p95());
            g.writeFieldName("p99");
            number(g, s.p99());
            g.writeEndObject();
        }
        g.writeEndObject();
        if (groups.ungrouped() > 0) {
            g.writeNumberField("ungrouped", groups.ungrouped());
        }
    }

    /** {@code {"stats":{...},"metrics":{...},"bufferSize":n,"sinks":{...}}}. */
    public static ByteBuf stats(ByteBuf buf, StatsSnapshot s) {
        return write(buf, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("stats");
            g.writeNumberField("totalProcessed", s.totalProcessed());
            g.writeNumberField("totalFiltered", s.totalFiltered());
            g.writeFieldName("avgProcessingTime");
            number(g, s.avgProcessingTime());
            g.writeNumberField("throughput", s.throughput());
            g.writeFieldName("lastProcessedAt");
            if (s.lastProcessedAt() == null) {
                g.writeNull();
            } else {
                g.writeNumber(s.lastProcessedAt());
            }
            g.writeNumberField("totalReceived", s.totalReceived());
            g.writeNumberField("totalRejected", s.totalRejected());
            g.writeNumberField("totalLate", s.totalLate());
            g.writeFieldName("p50");
            number(g, s.p50());
            g.writeFieldName("p90");
            number(g, s.p90());
            g.writeFieldName("p99");
            number(g, s.p99());
            g.writeFieldName("p999");
            number(g, s.p999());
            g.writeFieldName("max");
            number(g, s.max());
            g.writeNumberField("ringCapacity", s.ringCapacity());
            g.writeNumberField("ringUsed", s.ringUsed());
            recent(g, s.recent());
            g.writeEndObject();
            g.writeObjectFieldStart("metrics");
            for (Map.Entry<String, Long> e : s.metrics().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("bufferSize", s.bufferSize());
            g.writeObjectFieldStart("sinks");
            for (Map.Entry<String, SinkStatus> e : s.sinks().entrySet()) {
                SinkStatus k = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("status", k.failing() ? "failing" : "ok");
                g.writeNumberField("written", k.written());
                g.writeNumberField("failed", k.failed());
                g.writeNumberField("dropped", k.dropped());
                g.writeNumberField("buffered", k.buffered());
                g.writeFieldName("lastError");
                if (k.lastError() == null) {
                    g.writeNull();
                } else {
                    g.writeString(k.lastError());
                }
                g.writeFieldName("lastErrorAt");
                if (k.lastErrorAt() == 0) {
                    g.writeNull();
                } else {
                    g.writeNumber(k.lastErrorAt());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code "recent":{"count":n,"mean":ms,"p50":ms,...,"max":ms}}: the latency figures of the last minute. */
    private static void recent(JsonGenerator g, LatencySummary r) throws IOException {
        g.writeObjectFieldStart("recent");
        g.writeNumberField("count", r.count());
        g.writeFieldName("mean");
        number(g, r.mean());
        g.writeFieldName("p50");
        number(g, r.p50());
        g.writeFieldName("p90");
        number(g, r.p90());
        g.writeFieldName("p99");
        number(g, r.p99());
        g.writeFieldName("p999");
        number(g, r.p999());
        g.writeFieldName("max");
        number(g, r.max());
        g.writeEndObject();
    }

    /** {@code {"status":"healthy","uptime":s,"memory":{...}}}, plus {@code reason} when not healthy. */
    public static ByteBuf health(ByteBuf buf, StreamProcessor.Health health, long uptimeSeconds) {
        Runtime rt = Runtime.getRuntime();
        long heapTotal = rt.totalMemory();
        long heapUsed = heapTotal - rt.freeMemory();
        return write(buf, g -> {
            g.writeStartObject();
            g.writeStringField("status", health.status().name().toLowerCase());
            g.writeNumberField("uptime", uptimeSeconds);
            g.writeObjectFieldStart("memory");
            g.writeNumberField("heapUsed", heapUsed);
            g.writeNumberField("heapTotal", heapTotal);
            g.writeEndObject();
            if (health.reason() != null) {
                g.writeStringField("reason", health.reason());
            }
            g.writeEndObject();
        });
    }

    /** {@code {"total":N,"processed":P,"filtered":F}}, plus {@code rejected} and {@code errors} when any. */
    public static ByteBuf batchResult(ByteBuf buf, IngestRequest r) {
        return write(buf, g -> {
            g.writeStartObject();
            g.writeNumberField("total", r.expected());
            g.writeNumberField("processed", r.processed());
            g.writeNumberField("filtered", r.filtered());
            if (r.rejected() > 0) {
                g.writeNumberField("rejected", r.rejected());
                g.writeArrayFieldStart("errors");
                for (int i = 0; i < r.errorCount(); i++) {
                    g.writeStartObject();
                    g.writeNumberField("index", r.errorIndex(i));
                    g.writeStringField("error", r.errorMessage(i));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void number(JsonGenerator g, Double v) throws IOException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            g.writeNull();
        } else if (v == Math.rint(v) && Math.abs(v) < 9.0e15) {
            g.writeNumber(v.longValue());
        } else {
            g.writeNumber(v.doubleValue());
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Double || v instanceof Float) {
            number(g, ((Number) v).doubleValue());
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }
}
