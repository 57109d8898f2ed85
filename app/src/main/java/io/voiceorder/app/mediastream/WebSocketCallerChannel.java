package io.voiceorder.app.mediastream;

import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.exceptions.WebSocketSessionException;
import io.voiceorder.app.agent.CallerChannel;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * serve's three messages to the caller side, written on the stream's WebSocket. Netty queues each
 * write in call order, so a {@code media} is always followed by its own {@code mark}.
 */
final class WebSocketCallerChannel implements CallerChannel {
    static final Duration CLOSE_HANDSHAKE = Duration.ofSeconds(2);
    private final WebSocketSession session;
    private final String peer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile String mediaPrefix;
    private volatile String markPrefix;
    private volatile String clearMessage;

    WebSocketCallerChannel(WebSocketSession session, String peer) {
        this.session = session;
        this.peer = peer;
        streamSid("");
    }

    @Override
    public void streamSid(String sid) {
        String quoted = jsonString(sid);
        this.mediaPrefix = "{\"event\":\"media\",\"streamSid\":" + quoted + ",\"media\":{\"payload\":\"";
        this.markPrefix = "{\"event\":\"mark\",\"streamSid\":" + quoted + ",\"mark\":{\"name\":";
        this.clearMessage = "{\"event\":\"clear\",\"streamSid\":" + quoted + "}";
    }

    @Override
    public void mediaWithMark(byte[] ulawChunk, String markName) {
        if (closing.get()) {
            return;
        }
        sendUnlessClosed(mediaPrefix + Base64.getEncoder().encodeToString(ulawChunk) + "\"}}");
        sendUnlessClosed(markPrefix + jsonString(markName) + "}}");
    }

    /**
     * The caller side may close at any moment (the bridge sends {@code stop} and closes at once): a write that
     * finds the session closed is dropped, never thrown into the call's task, where it would cut short the
     * call's end (record, capacity, metrics).
     */
    private void sendUnlessClosed(Object message) {
        try {
            session.sendAsync(message);
        } catch (WebSocketSessionException closedMeanwhile) {
            closing.set(true);
        }
    }

    @Override
    public void clear() {
        if (!closing.get()) {
            sendUnlessClosed(clearMessage);
        }
    }

    /**
     * Sends the close frame and lets the peer answer it before the connection ends: closing the TCP
     * connection at once while the caller side still streams media makes its kernel see a reset, and
     * the close code is lost (1006). A peer that never answers is cut off after {@link #CLOSE_HANDSHAKE}.
     */
    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true) && session.isOpen()) {
            try {
                session.sendAsync(new CloseWebSocketFrame(code, reason));
            } catch (WebSocketSessionException closedMeanwhile) {
                return; // the caller side closed first: nothing left to close
            }
            CompletableFuture.delayedExecutor(CLOSE_HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (session.isOpen()) {
                    session.close(new CloseReason(code, reason));
                }
            });
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
