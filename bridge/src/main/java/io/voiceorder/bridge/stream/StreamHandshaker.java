package io.voiceorder.bridge.stream;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;

/**
 * The RFC 6455 client handshake toward serve: no extensions or subprotocol, masked frames, no
 * {@code Origin} (the bridge is not a browser). Its frame decoder refuses frames over 64 KiB without
 * closing on its own: the connection decides how a stream ends (close 1009, counted as oversize).
 */
final class StreamHandshaker extends WebSocketClientHandshaker13 {

    StreamHandshaker(URI target, HttpHeaders headers) {
        super(target, WebSocketVersion.V13, null, false, headers, StreamConnection.MAX_MESSAGE_BYTES, true, false, -1);
    }

    @Override
    protected FullHttpRequest newHandshakeRequest() {
        FullHttpRequest request = super.newHandshakeRequest();
        request.headers().remove(HttpHeaderNames.ORIGIN);
        return request;
    }

    @Override
    protected WebSocketFrameDecoder newWebsocketDecoder() {
        return new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .maxFramePayloadLength(StreamConnection.MAX_MESSAGE_BYTES)
                .closeOnProtocolViolation(false)
                .build());
    }
}
