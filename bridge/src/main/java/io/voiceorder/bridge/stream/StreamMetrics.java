package io.voiceorder.bridge.stream;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide WebSocket client counters (bridge.md §10.2): {@code ws_connects_total{result}},
 * {@code ws_disconnects_total{reason}}, {@code ws_messages_dropped_total{reason}}.
 */
public final class StreamMetrics {
    private final Map<String, LongAdder> connects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> disconnects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private volatile String lastConnect;

    void connect(String result) {
        connects.computeIfAbsent(result, k -> new LongAdder()).increment();
        lastConnect = result;
    }

    void disconnect(String reason) {
        disconnects.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void dropped(String reason) {
        dropped.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    /** ok, refused, timeout or rejected; null before the first connect. */
    public String lastConnect() {
        return lastConnect;
    }

    public Map<String, Long> connects() {
        return snapshot(connects);
    }

    public Map<String, Long> disconnects() {
        return snapshot(disconnects);
    }

    public Map<String, Long> dropped() {
        return snapshot(dropped);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
