package io.voiceorder.app.mediastream;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.websocket.AbstractNettyWebSocketHandler;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import io.voiceorder.app.agent.CallServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.voiceorder.app.agent.CallSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /media-stream}: Twilio Media Streams, server side. The upgrade was authenticated and
 * admitted by {@link StreamUpgradeFilter}; each socket gets its own {@link CallSession}, and frames
 * are handed to it without any work on the Netty event loop beyond that: complete text frames by a
 * {@link CallerFrameReader} put in the stream's pipeline, fragmented messages by Micronaut through
 * {@link #onMessage}.
 */
@ServerWebSocket("/media-stream")
public final class MediaStreamEndpoint {
    static final String SESSION_KEY = "voiceorder.call";
    /** Text messages up to 64 KiB after reassembly; larger ones close the stream with 1009. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(MediaStreamEndpoint.class);

    private final CallServices services;

    public MediaStreamEndpoint(CallServices services) {
        this.services = services;
    }

    @OnOpen
    public void onOpen(WebSocketSession session, HttpRequest<?> request) {
        String peer = String.valueOf(request.getRemoteAddress().getAddress().getHostAddress());
        Channel channel = request instanceof NettyHttpRequest<?> netty ? netty.getChannelHandlerContext().channel() : null;
        CallSession call = new CallSession(services, new WebSocketCallerChannel(session, channel, peer), upgradeBase(request));
        session.put(SESSION_KEY, call);
        if (channel != null) {
            // Once the upgrade has put Micronaut's handler in place (this task runs after it on the event loop).
            channel.eventLoop().execute(() -> {
                ChannelPipeline pipeline = channel.pipeline();
                if (pipeline.get(AbstractNettyWebSocketHandler.ID) != null && pipeline.get(CallerFrameReader.NAME) == null) {
                    pipeline.addBefore(AbstractNettyWebSocketHandler.ID, CallerFrameReader.NAME,
                            new CallerFrameReader(call::onCallerText, call::onOversizedMessage));
                }
            });
        }
        LOG.debug("media stream opened from {}", peer);
    }

    /** {@code https://} + the host the upgrade came through: the base of Twilio callbacks when PUBLIC_URL is unset. */
    private static String upgradeBase(HttpRequest<?> request) {
        String host = request.getHeaders().get("X-Forwarded-Host");
        if (host == null || host.isBlank()) {
            host = request.getHeaders().get("Host");
        }
        return host == null || host.isBlank() ? null : "https://" + host.split(",")[0].strip();
    }

    @OnMessage(maxPayloadLength = MAX_MESSAGE_BYTES)
    public void onMessage(String message, WebSocketSession session) {
        long now = System.nanoTime();
        CallSession call = session.get(SESSION_KEY, CallSession.class).orElse(null);
        if (call == null) {
            return;
        }
        // Micronaut reassembles fragmented messages without a limit of its own.
        if (utf8Length(message) > MAX_MESSAGE_BYTES) {
            call.onOversizedMessage(utf8Length(message));
        } else {
            call.onCallerText(message, now);
        }
    }

    static int utf8Length(String s) {
        if (s.length() * 3L <= MAX_MESSAGE_BYTES) {
            return s.length();
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    @OnClose
    public void onClose(CloseReason reason, WebSocketSession session) {
        session.get(SESSION_KEY, CallSession.class).ifPresent(call -> call.onCallerClosed(reason.getCode()));
    }

    @OnError
    public void onError(Throwable error, WebSocketSession session) {
        LOG.debug("media stream error: {}", error.getClass().getSimpleName());
    }
}
