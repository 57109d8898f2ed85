package io.voiceorder.bridge.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.fixtures.ws.LoopbackWebSocketServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A stand-in serve for the bridge's stream: a real WebSocket server on 127.0.0.1 that records the
 * upgrade request and every message the bridge sends (with arrival time), and can send serve's
 * messages, close, or drop the connection. Refuses upgrades with the status of {@code refuse} when
 * non-zero.
 */
public final class FakeServe implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** One message from the bridge. */
    public record Message(String text, long arrivalNanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public String event() {
            return json().path("event").asText();
        }
    }

    private final LoopbackWebSocketServer server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> upgrades = new CopyOnWriteArrayList<>();
    private volatile WebSocket connection;
    private volatile int closeCode = -1;
    private volatile boolean closedByRemote;

    private FakeServe(IntSupplier refuse) {
        server = LoopbackWebSocketServer.start(request -> {
            upgrades.add(headers(request));
            int status = refuse.getAsInt();
            if (status != 0) {
                return LoopbackWebSocketServer.Decision.refuse(status);
            }
            return LoopbackWebSocketServer.Decision.accept(new LoopbackWebSocketServer.Handler() {
                @Override
                public void onOpen(WebSocket c) {
                    connection = c;
                }

                @Override
                public void onText(WebSocket c, String text) {
                    messages.add(new Message(text, System.nanoTime()));
                }

                @Override
                public void onClose(WebSocket c, int code, String reason, boolean remote) {
                    closeCode = code;
                    closedByRemote = remote;
                }
            });
        });
    }

    public static FakeServe start() {
        return new FakeServe(() -> 0);
    }

    public static FakeServe refusing(int status) {
        return new FakeServe(() -> status);
    }

    public java.net.URI uri() {
        return java.net.URI.create("ws://127.0.0.1:" + server.port() + "/media-stream");
    }

    public int port() {
        return server.port();
    }

    private static Map<String, String> headers(ClientHandshake request) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.iterateHttpFields().forEachRemaining(name -> out.put(name, request.getFieldValue(name)));
        out.put(":path", request.getResourceDescriptor());
        return out;
    }

    public List<Map<String, String>> upgrades() {
        return new ArrayList<>(upgrades);
    }

    public List<Message> messages() {
        return new ArrayList<>(messages);
    }

    public List<String> texts() {
        return messages.stream().map(Message::text).toList();
    }

    public List<Message> events(String event) {
        return messages.stream().filter(m -> m.event().equals(event)).toList();
    }

    public boolean connected() {
        return connection != null;
    }

    public void send(String text) {
        connection.send(text);
    }

    /** One text message as {@code pieces} frames: a text frame, then continuation frames (RFC 6455 §5.4). */
    public void sendFragmented(String text, int pieces) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int step = (utf8.length + pieces - 1) / pieces;
        for (int from = 0; from < utf8.length; from += step) {
            int to = Math.min(utf8.length, from + step);
            connection.sendFragmentedFrame(org.java_websocket.enums.Opcode.TEXT,
                    java.nio.ByteBuffer.wrap(utf8, from, to - from), to == utf8.length);
        }
    }

    public void sendBinary(byte[] data) {
        connection.send(data);
    }

    public void sendMedia(String streamSid, byte[] ulaw) {
        send("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(ulaw) + "\"}}");
    }

    public void sendMark(String streamSid, String name) {
        send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"" + name + "\"}}");
    }

    public void sendClear(String streamSid) {
        send("{\"event\":\"clear\",\"streamSid\":\"" + streamSid + "\"}");
    }

    public void closeNormally() {
        connection.close(1000, "bye");
    }

    public void dropAbruptly() {
        LoopbackWebSocketServer.dropAbruptly(connection);
    }

    /** Close code seen by the server, -1 while open. */
    public int closeCode() {
        return closeCode;
    }

    public boolean closedByBridge() {
        return closeCode != -1 && closedByRemote;
    }

    @Override
    public void close() {
        server.close();
    }
}
