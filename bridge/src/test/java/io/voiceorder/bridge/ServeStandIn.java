package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.fixtures.ws.LoopbackWebSocketServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Stands in for serve on the bridge's WebSocket: records every message of every stream, and on {@code start}
 * runs a scripted reaction (send audio, close…).
 */
final class ServeStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackWebSocketServer server;
    private final List<List<String>> streams = new CopyOnWriteArrayList<>();
    private final List<String> upgradePaths = new CopyOnWriteArrayList<>();
    private final List<Instant> upgradeTimes = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<WebSocket, JsonNode> onStart = (ws, start) -> { };

    ServeStandIn() {
        server = LoopbackWebSocketServer.start(this::decide);
    }

    int port() {
        return server.port();
    }

    String url() {
        return "ws://127.0.0.1:" + server.port() + "/media-stream";
    }

    void onStart(BiConsumer<WebSocket, JsonNode> reaction) {
        this.onStart = reaction;
    }

    List<List<String>> streams() {
        List<List<String>> copy = new ArrayList<>();
        for (List<String> s : streams) {
            copy.add(List.copyOf(s));
        }
        return Collections.unmodifiableList(copy);
    }

    List<String> upgradePaths() {
        return List.copyOf(upgradePaths);
    }

    /** When each upgrade request arrived, in order. */
    List<Instant> upgradeTimes() {
        return List.copyOf(upgradeTimes);
    }

    static void sendAudio(WebSocket ws, String streamSid, byte[] mulaw) {
        ws.send("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(mulaw) + "\"}}");
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private LoopbackWebSocketServer.Decision decide(ClientHandshake request) {
        upgradeTimes.add(Instant.now());
        upgradePaths.add(request.getResourceDescriptor());
        List<String> messages = new CopyOnWriteArrayList<>();
        streams.add(messages);
        return LoopbackWebSocketServer.Decision.accept(new LoopbackWebSocketServer.Handler() {
            @Override
            public void onOpen(WebSocket connection) {
            }

            @Override
            public void onText(WebSocket connection, String text) {
                messages.add(text);
                JsonNode node = parse(text);
                if (node.path("event").asText().equals("start")) {
                    onStart.accept(connection, node);
                }
            }

            @Override
            public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            }
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
