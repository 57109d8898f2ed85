package io.voiceorder.app.mediastream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.voiceorder.app.agent.CallSession;

/**
 * Hands each complete text frame of one stream straight to its call, on the event loop, ahead of Micronaut's
 * WebSocket handler: Micronaut binds the {@code @OnMessage} arguments anew for every message, which cost more
 * than the rest of the uplink together at a few hundred calls. Fragmented messages, binary, ping, pong and close
 * frames go on to Micronaut, which reassembles them and calls {@link MediaStreamEndpoint} as before.
 */
final class CallerFrameReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "voiceorder-caller-frames";

    private final CallSession call;
    /** A fragmented message is under way: its frames all go to Micronaut, in order. */
    private boolean fragmented;

    CallerFrameReader(CallSession call) {
        this.call = call;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame text && text.isFinalFragment() && !fragmented) {
            long now = System.nanoTime();
            try {
                int bytes = text.content().readableBytes();
                if (bytes > MediaStreamEndpoint.MAX_MESSAGE_BYTES) {
                    call.onOversizedMessage(bytes);
                } else {
                    call.onCallerText(text.text(), now);
                }
            } finally {
                text.release();
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            fragmented = !((WebSocketFrame) msg).isFinalFragment();
        }
        ctx.fireChannelRead(msg);
    }
}
