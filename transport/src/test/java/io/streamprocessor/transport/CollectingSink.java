package io.streamprocessor.transport;

import io.streamprocessor.engine.event.EventJson;
import io.streamprocessor.engine.event.EventView;
import io.streamprocessor.engine.sink.Sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test sink: keeps every event it is given as the JSON line a sink would write. Readable from any thread. */
final class CollectingSink implements Sink {
    private final EventJson json = new EventJson();
    private final List<String> lines = new ArrayList<>();

    @Override
    public String name() {
        return "collect";
    }

    @Override
    public void onEvent(EventView event) {
        int n = json.encode(event);
        String line = new String(json.buffer(), 0, n, StandardCharsets.UTF_8);
        synchronized (lines) {
            lines.add(line);
        }
    }

    int count() {
        synchronized (lines) {
            return lines.size();
        }
    }

    @Override
    public void close() {
    }

    List<Map<String, Object>> events() {
        List<String> copy;
        synchronized (lines) {
            copy = List.copyOf(lines);
        }
        List<Map<String, Object>> out = new ArrayList<>(copy.size());
        for (String l : copy) {
            out.add(Json.object(l));
        }
        return out;
    }
}
