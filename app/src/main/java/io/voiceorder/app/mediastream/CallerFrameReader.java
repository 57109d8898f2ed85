package io.voiceorder.app.mediastream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.function.IntConsumer;
import java.util.function.ObjLongConsumer;

/**
 * Hands each complete text frame of one stream straight to its call ({@code CallSession}), on the event loop, ahead of Micronaut's
 * WebSocket handler: Micronaut binds the {@code @OnMessage} arguments anew for every message, which cost more
 * than the rest of the uplink together at a few hundred calls. Fragmented messages, binary, ping, pong and close
 * frames go on to Micronaut, which reassembles them and calls {@link MediaStreamEndpoint} as before.
 */
final class CallerFrameReader extends ChannelInboundHandlerAdapter {
    static final String NAME = "voiceorder-caller-frames";

    private final ObjLongConsumer<String> text;
    private final IntConsumer oversized;
    /** A fragmented message is under way: its frames all go to Micronaut, in order. */
    private boolean fragmented;

    /**
     * @param text      gets each complete message with the {@link System#nanoTime()} it was read
     * @param oversized gets the size in bytes of a message over {@link MediaStreamEndpoint#MAX_MESSAGE_BYTES}
     */
    CallerFrameReader(ObjLongConsumer<String> text, IntConsumer oversized) {
        this.text = text;
        this.oversized = oversized;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame frame && frame.isFinalFragment() && !fragmented) {
            long now = System.nanoTime();
            try {
                int bytes = frame.content().readableBytes();
                if (bytes > MediaStreamEndpoint.MAX_MESSAGE_BYTES) {
                    oversized.accept(bytes);
                } else {
                    text.accept(frame.text(), now);
                }
            } finally {
                frame.release();
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            fragmented = !((WebSocketFrame) msg).isFinalFragment();
        }
        ctx.fireChannelRead(msg);
    }
}
