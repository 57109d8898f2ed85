package io.voiceorder.app.mediastream;

import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.exceptions.WebSocketSessionException;
import io.voiceorder.app.agent.CallerChannel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * serve's three messages to the caller side, written on the stream's WebSocket in call order, so a
 * {@code media} is always followed by its own {@code mark}. With the stream's Netty channel at hand, frames
 * are encoded straight into buffers (no intermediate strings) and coalesced per event-loop pass by a
 * {@link CallerFrameWriter}; without it, they go through Micronaut's session one by one.
 */
final class WebSocketCallerChannel implements CallerChannel {
    static final Duration CLOSE_HANDSHAKE = Duration.ofSeconds(2);
    private static final byte[] MEDIA_SUFFIX = "\"}}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MARK_SUFFIX = "}}".getBytes(StandardCharsets.US_ASCII);
    private final WebSocketSession session;
    private final Channel channel;
    private final CallerFrameWriter writer;
    private final String peer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Prefixes prefixes;

    /** The fixed parts of the three messages for one stream sid, as text and as bytes. */
    private record Prefixes(String media, String mark, String clear, byte[] mediaBytes, byte[] markBytes, byte[] clearBytes) {
        static Prefixes of(String sid) {
            String quoted = jsonString(sid);
            String media = "{\"event\":\"media\",\"streamSid\":" + quoted + ",\"media\":{\"payload\":\"";
            String mark = "{\"event\":\"mark\",\"streamSid\":" + quoted + ",\"mark\":{\"name\":";
            String clear = "{\"event\":\"clear\",\"streamSid\":" + quoted + "}";
            return new Prefixes(media, mark, clear, media.getBytes(StandardCharsets.UTF_8), mark.getBytes(StandardCharsets.UTF_8),
                    clear.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @param channel the stream's Netty channel, or null to write through {@code session} */
    WebSocketCallerChannel(WebSocketSession session, Channel channel, String peer) {
        this.session = session;
        this.channel = channel;
        this.writer = channel == null ? null : new CallerFrameWriter(channel);
        this.peer = peer;
        streamSid("");
    }

    @Override
    public void streamSid(String sid) {
        this.prefixes = Prefixes.of(sid);
    }

    @Override
    public void mediaWithMark(byte[] ulawChunk, String markName) {
        if (closing.get()) {
            return;
        }
        Prefixes p = prefixes;
        if (writer == null) {
            sendUnlessClosed(p.media() + Base64.getEncoder().encodeToString(ulawChunk) + "\"}}");
            sendUnlessClosed(p.mark() + jsonString(markName) + "}}");
            return;
        }
        byte[] payload = Base64.getEncoder().encode(ulawChunk);
        ByteBuf media = channel.alloc().buffer(p.mediaBytes().length + payload.length + MEDIA_SUFFIX.length);
        media.writeBytes(p.mediaBytes()).writeBytes(payload).writeBytes(MEDIA_SUFFIX);
        writer.write(new TextWebSocketFrame(media));
        String name = jsonString(markName);
        ByteBuf mark = channel.alloc().buffer(p.markBytes().length + ByteBufUtil.utf8MaxBytes(name) + MARK_SUFFIX.length);
        mark.writeBytes(p.markBytes());
        ByteBufUtil.writeUtf8(mark, name);
        mark.writeBytes(MARK_SUFFIX);
        writer.write(new TextWebSocketFrame(mark));
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
        if (closing.get()) {
            return;
        }
        Prefixes p = prefixes;
        if (writer == null) {
            sendUnlessClosed(p.clear());
        } else {
            writer.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(p.clearBytes())));
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
            if (writer != null) {
                writer.write(new CloseWebSocketFrame(code, reason));
            } else {
                try {
                    session.sendAsync(new CloseWebSocketFrame(code, reason));
                } catch (WebSocketSessionException closedMeanwhile) {
                    return; // the caller side closed first: nothing left to close
                }
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
