package io.voiceorder.bridge.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection's side of the channel, on an embedded channel: write batching, pongs, the drain watchdog. */
class StreamConnectionTest {

    private final StreamMetrics metrics = new StreamMetrics();
    private final List<String> ended = new ArrayList<>();
    private final StreamHandler handler = new StreamHandler() {
        @Override
        public void onMessage(ServeMessage message) {
        }

        @Override
        public void onEnded(boolean clean, String reason) {
            ended.add(clean + " " + reason);
        }
    };

    /** Counts flushes; optionally keeps every write pending, as a socket serve no longer reads. */
    private static final class Socket extends ChannelOutboundHandlerAdapter {
        final boolean stalled;
        int flushes;

        Socket(boolean stalled) {
            this.stalled = stalled;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (stalled) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.write(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    @Test
    void messagesQueuedBeforeTheLoopRunsLeaveInOrderWithOneFlush() {
        Socket socket = new Socket(false);
        StreamConnection connection = new StreamConnection("CA1", "AC1", metrics, handler, ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel(socket, connection.frameHandler());
        connection.attach(channel);
        connection.sendConnected();
        connection.sendStart(Map.of());
        for (int i = 0; i < 3; i++) {
            connection.sendMedia(new byte[160], 0, 160);
        }
        connection.sendMark("m");
        int before = socket.flushes;
        channel.runPendingTasks();
        assertThat(socket.flushes - before).isEqualTo(1);
        List<String> texts = new ArrayList<>();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            TextWebSocketFrame frame = (TextWebSocketFrame) out;
            texts.add(frame.text());
            frame.release();
        }
        assertThat(texts).hasSize(6);
        assertThat(texts.get(0)).isEqualTo(TwilioJson.CONNECTED);
        for (int i = 1; i < 6; i++) {
            assertThat(texts.get(i)).contains("\"sequenceNumber\":\"" + i + "\"");
        }
        assertThat(texts.get(5)).contains("\"event\":\"mark\"");
        channel.finishAndReleaseAll();
    }

    @Test
    void aPingIsAnsweredWithItsData() {
        StreamConnection connection = new StreamConnection("CA1", "AC1", metrics, handler, ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel(connection.frameHandler());
        connection.attach(channel);
        channel.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("are you there", StandardCharsets.US_ASCII)));
        PongWebSocketFrame pong = channel.readOutbound();
        assertThat(pong.content().toString(StandardCharsets.US_ASCII)).isEqualTo("are you there");
        pong.release();
        assertThat(ended).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void writesPendingForFiveSecondsAreALostStream() {
        StreamConnection connection = new StreamConnection("CA1", "AC1", metrics, handler, ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel(new Socket(true), connection.frameHandler());
        connection.attach(channel);
        connection.sendConnected();
        channel.runPendingTasks();
        long now = System.nanoTime();
        connection.checkDrain(now + StreamConnection.DRAIN_TIMEOUT_NANOS / 2);
        assertThat(ended).isEmpty();
        connection.checkDrain(now + StreamConnection.DRAIN_TIMEOUT_NANOS + 1_000_000_000L);
        assertThat(ended).containsExactly("false serve did not drain the socket for 5 s");
        assertThat(metrics.disconnects()).containsEntry("lost", 1L);
        assertThat(connection.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
