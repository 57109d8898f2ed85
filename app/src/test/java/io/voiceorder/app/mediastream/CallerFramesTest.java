package io.voiceorder.app.mediastream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's own pipeline pieces: what reaches the call, what goes on to Micronaut, what leaves and when. */
class CallerFramesTest {

    @Test
    void completeTextFramesGoToTheCallAndEverythingElseGoesOnToMicronaut() {
        List<String> texts = new ArrayList<>();
        List<Integer> oversized = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new CallerFrameReader((t, nanos) -> texts.add(t), oversized::add));

        channel.writeInbound(new TextWebSocketFrame("{\"event\":\"media\"}"));
        channel.writeInbound(new TextWebSocketFrame(false, 0, "{\"event\":"));
        channel.writeInbound(new ContinuationWebSocketFrame(false, 0, "\"mark\""));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, "}"));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        channel.writeInbound(new PingWebSocketFrame());
        channel.writeInbound(new TextWebSocketFrame("{\"event\":\"stop\"}"));
        channel.writeInbound(new TextWebSocketFrame("x".repeat(MediaStreamEndpoint.MAX_MESSAGE_BYTES + 1)));

        assertThat(texts).containsExactly("{\"event\":\"media\"}", "{\"event\":\"stop\"}");
        assertThat(oversized).containsExactly(MediaStreamEndpoint.MAX_MESSAGE_BYTES + 1);
        List<Object> passedOn = new ArrayList<>();
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
            passedOn.add(m);
        }
        // The fragmented message stays whole and in order for Micronaut to reassemble.
        assertThat(passedOn).hasSize(5);
        assertThat(passedOn.get(0)).isInstanceOf(TextWebSocketFrame.class);
        assertThat(passedOn.get(1)).isInstanceOf(ContinuationWebSocketFrame.class);
        assertThat(passedOn.get(2)).isInstanceOf(ContinuationWebSocketFrame.class);
        assertThat(passedOn.get(3)).isInstanceOf(BinaryWebSocketFrame.class);
        assertThat(passedOn.get(4)).isInstanceOf(PingWebSocketFrame.class);
        passedOn.forEach(m -> ((WebSocketFrame) m).release());
        channel.finishAndReleaseAll();
    }

    @Test
    void framesQueuedBeforeTheEventLoopRunsLeaveInOrderWithOneFlush() {
        AtomicInteger flushes = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        CallerFrameWriter writer = new CallerFrameWriter(channel);
        for (int i = 0; i < 3; i++) {
            writer.write(new TextWebSocketFrame("m" + i));
        }
        assertThat((Object) channel.readOutbound()).as("nothing before the event loop's pass").isNull();
        channel.runPendingTasks();
        assertThat(flushes).hasValue(1);
        for (int i = 0; i < 3; i++) {
            TextWebSocketFrame out = channel.readOutbound();
            assertThat(out.text()).isEqualTo("m" + i);
            out.release();
        }
        writer.write(new TextWebSocketFrame("m3"));
        channel.runPendingTasks();
        assertThat(flushes).hasValue(2);
        ((TextWebSocketFrame) channel.readOutbound()).release();
        channel.finishAndReleaseAll();
    }

    @Test
    void framesForAClosedChannelAreReleasedNotWritten() {
        EmbeddedChannel channel = new EmbeddedChannel();
        CallerFrameWriter writer = new CallerFrameWriter(channel);
        TextWebSocketFrame frame = new TextWebSocketFrame("late");
        channel.close();
        writer.write(frame);
        channel.runPendingTasks();
        assertThat(frame.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
