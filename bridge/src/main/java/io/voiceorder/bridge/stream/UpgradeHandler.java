package io.voiceorder.bridge.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;

/**
 * The HTTP upgrade on a freshly connected channel: sends the handshake once the channel is active (after
 * TLS, which buffers it), and judges serve's answer by its status line alone, so a refusal is known without
 * waiting for its body. On 101 the connection's frame handler takes this handler's place before the pipeline
 * switches to WebSocket frames, so a frame arriving together with the answer reaches the call.
 */
final class UpgradeHandler extends ChannelInboundHandlerAdapter {

    /** How the upgrade ended; told once, on the channel's event loop. */
    interface Outcome {
        void upgraded(Channel channel);

        void failed(Throwable error);
    }

    /** serve answered the upgrade with another status than 101. */
    static final class RejectedException extends IOException {
        private final int status;

        RejectedException(int status) {
            super("serve answered the upgrade with HTTP " + status);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final StreamHandshaker handshaker;
    private final ChannelHandler frames;
    private final Outcome outcome;
    private boolean done;

    UpgradeHandler(StreamHandshaker handshaker, ChannelHandler frames, Outcome outcome) {
        this.handshaker = handshaker;
        this.frames = frames;
        this.outcome = outcome;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener(sent -> {
            if (!sent.isSuccess()) {
                fail(ctx, sent.cause());
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (done || !(msg instanceof HttpResponse response)) {
                return;
            }
            int status = response.status().code();
            if (status != 101) {
                fail(ctx, new RejectedException(status));
                return;
            }
            Channel channel = ctx.channel();
            ctx.pipeline().replace(this, "stream", frames);
            try {
                handshaker.finishHandshake(channel, new DefaultFullHttpResponse(response.protocolVersion(),
                        response.status(), Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE));
            } catch (RuntimeException e) {
                fail(ctx, e);
                return;
            }
            done = true;
            outcome.upgraded(channel);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new IOException("serve closed the connection during the upgrade"));
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, Throwable error) {
        if (done) {
            return;
        }
        done = true;
        outcome.failed(error);
        ctx.channel().close();
    }
}
