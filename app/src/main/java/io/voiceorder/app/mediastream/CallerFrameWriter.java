package io.voiceorder.app.mediastream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream's outgoing frames, written in call order on the channel's event loop: every frame queued
 * until the event loop gets to them leaves in one task with one flush (one system call), instead of a
 * task, a wake-up and a flush per message.
 */
final class CallerFrameWriter {
    private final Channel channel;
    private final Queue<WebSocketFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    CallerFrameWriter(Channel channel) {
        this.channel = channel;
    }

    void write(WebSocketFrame frame) {
        queue.add(frame);
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    private void drain() {
        // Cleared first: a frame queued while this runs schedules another pass, so none is left behind.
        scheduled.set(false);
        boolean wrote = false;
        for (WebSocketFrame frame = queue.poll(); frame != null; frame = queue.poll()) {
            if (channel.isActive()) {
                channel.write(frame);
                wrote = true;
            } else {
                ReferenceCountUtil.release(frame);
            }
        }
        if (wrote) {
            channel.flush();
        }
    }
}
