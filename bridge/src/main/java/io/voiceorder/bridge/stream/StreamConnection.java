package io.voiceorder.bridge.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's WebSocket to serve, speaking the caller side of the media-stream protocol. Messages are
 * encoded into pooled buffers where they are produced and appended to the outbox; the channel's event
 * loop writes everything queued since its last turn and flushes once, so the pacer never touches the
 * socket. Numbered messages get their {@code sequenceNumber} when queued, so numbering and wire order
 * agree; nothing leaves after {@code stop}. A write pending for 5 s means serve is not draining: the
 * stream is lost. Reads are reassembled up to 64 KiB (beyond: close 1009, lost), parsed from their UTF-8
 * bytes and checked (bridge.md §7.3).
 */
public final class StreamConnection {
    /** The largest message serve may send, fragments reassembled (bridge.md §7.3). */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    public static final long DRAIN_TIMEOUT_NANOS = 5_000_000_000L;
    /** Close code for a message over the limit (RFC 6455 §7.4.1, bridge.md §7.3). */
    public static final int OVERSIZE_CLOSE_CODE = WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    /** RFC 6455 §7.4.1: what a close frame without a status reports. */
    private static final int NO_STATUS_CODE = 1005;
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final String callSid;
    private final String quotedSid;
    private final String accountSid;
    private final StreamMetrics metrics;
    private final StreamHandler handler;
    private final ByteBufAllocator allocator;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object numbering = new Object();
    private long nextSequence = 1;
    private long nextChunk = 1;
    private boolean startSent;
    private boolean stopSent;
    private final MediaMessageWriter mediaWriter;
    private final StringBuilder markText = new StringBuilder(128);
    private final ServeMessageParser parser;

    /**
     * Guards {@link #outbox}. Not the deque itself: {@link #drain()} swaps the two deques, and a thread that
     * had read the old reference would then add to the batch being written, unguarded.
     */
    private final Object outboxLock = new Object();
    /** Messages queued and not yet handed to the channel, in queue order. Guarded by {@link #outboxLock}. */
    private ArrayDeque<ByteBuf> outbox = new ArrayDeque<>();
    /** The other half of the outbox, swapped in by {@link #drain()}: event loop only, empty between drains. */
    private ArrayDeque<ByteBuf> writing = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final ChannelFutureListener batchWritten = this::batchWritten;
    private final Frames frames = new Frames();
    private volatile Channel channel;
    /** Since when written bytes have been waiting for the socket without progress, 0 when none wait: what the drain watchdog looks at. */
    private volatile long inFlightSinceNanos;
    /** Flushed batches whose last write has not completed (event loop only). */
    private int batchesInFlight;
    /** Our close frame is written: nothing else may follow it (event loop only). */
    private boolean closeSent;

    StreamConnection(String callSid, String accountSid, StreamMetrics metrics, StreamHandler handler, ByteBufAllocator allocator) {
        this.callSid = callSid;
        this.quotedSid = TwilioJson.quote(callSid);
        this.parser = new ServeMessageParser(callSid);
        this.mediaWriter = new MediaMessageWriter(callSid);
        this.accountSid = accountSid;
        this.metrics = metrics;
        this.handler = handler;
        this.allocator = allocator;
    }

    /** The handler that reads this connection's frames once the upgrade is done. */
    ChannelHandler frameHandler() {
        return frames;
    }

    /** The upgrade succeeded on {@code channel}: what was queued may leave. */
    void attach(Channel channel) {
        this.channel = channel;
        scheduleDrain();
    }

    public String callSid() {
        return callSid;
    }

    /** {@code connected}: the first message, unnumbered. */
    void sendConnected() {
        enqueue(TwilioJson.CONNECTED);
    }

    /** {@code start}, sequence 1; at most once. */
    public void sendStart(Map<String, String> customParameters) {
        synchronized (numbering) {
            if (startSent || stopSent) {
                return;
            }
            startSent = true;
            enqueue(TwilioJson.start(nextSequence++, callSid, accountSid, customParameters));
        }
    }

    /**
     * One 20 ms frame of the caller's µ-law; chunk and timestamp follow the frame count. The message is
     * written as bytes straight into a pooled buffer: no string, no per-frame garbage beyond the frame object.
     */
    public void sendMedia(byte[] frame, int offset, int length) {
        synchronized (numbering) {
            if (!startSent || stopSent || !accepting()) {
                return;
            }
            enqueue(mediaWriter.write(nextSequence++, nextChunk++, frame, offset, length, allocator));
        }
    }

    public void sendDtmf(char digit) {
        synchronized (numbering) {
            if (!startSent || stopSent) {
                return;
            }
            enqueue(TwilioJson.dtmf(nextSequence++, callSid, digit));
        }
    }

    /** @return false when the mark could not be sent (no start yet, stopped, or the socket is gone) */
    public boolean sendMark(String name) {
        synchronized (numbering) {
            if (!startSent || stopSent || ended.get() || closing.get()) {
                return false;
            }
            TwilioJson.mark(markText, nextSequence++, quotedSid, name);
            enqueue(markText);
            return true;
        }
    }

    /** {@code stop}, the last message; only after {@code start}. */
    public void sendStop() {
        synchronized (numbering) {
            if (!startSent || stopSent) {
                stopSent = true;
                return;
            }
            stopSent = true;
            enqueue(TwilioJson.stop(nextSequence++, callSid, accountSid));
        }
    }

    public boolean isOpen() {
        return !ended.get() && !closing.get();
    }

    /** Closes with 1000 once the queued messages have left; the connection is freed at most a few seconds later. */
    public void close() {
        closeWith(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "call ended");
    }

    /** Drops the connection at once without a close handshake. */
    public void abort() {
        closing.set(true);
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Called on every pacer tick: written bytes stuck for 5 s mean serve stopped reading. */
    public void checkDrain(long nowNanos) {
        long since = inFlightSinceNanos;
        if (since != 0 && nowNanos - since > DRAIN_TIMEOUT_NANOS && !ended.get()) {
            metrics.disconnect("lost");
            lost(false, "serve did not drain the socket for 5 s");
            abort();
        }
    }

    private void closeWith(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (!ended.get()) {
            metrics.disconnect("normal");
        }
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            ch.eventLoop().execute(() -> {
                // The queued messages go first, then the close; serve gets 3 s to answer it.
                drain();
                sendClose(code, reason, 3);
            });
        } catch (RejectedExecutionException e) {
            releaseOutbox();
        }
    }

    /** Writes our close frame (once) and frees the connection {@code freeAfterSeconds} later in any case. Event loop only. */
    private void sendClose(int code, String reason, long freeAfterSeconds) {
        Channel ch = channel;
        if (ch == null || closeSent || !ch.isActive()) {
            debug("close " + code + " not sent: output already closed");
            return;
        }
        closeSent = true;
        ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(sent -> {
            if (!sent.isSuccess()) {
                debug("close " + code + " not sent: " + sent.cause());
            }
        });
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, freeAfterSeconds, TimeUnit.SECONDS);
    }

    private boolean accepting() {
        return !ended.get() && !closing.get();
    }

    private void enqueue(CharSequence message) {
        if (accepting()) {
            enqueue(ByteBufUtil.writeUtf8(allocator, message));
        }
    }

    private void enqueue(ByteBuf message) {
        if (!accepting()) {
            message.release();
            return;
        }
        synchronized (outboxLock) {
            outbox.add(message);
        }
        scheduleDrain();
    }

    /** One drain per non-empty outbox: whatever is queued until it runs leaves with it. */
    private void scheduleDrain() {
        Channel ch = channel;
        if (ch != null && drainScheduled.compareAndSet(false, true)) {
            try {
                ch.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The client is shut down: nothing will be written any more.
                releaseOutbox();
            }
        }
    }

    /** Writes every queued message in order and flushes once (event loop). */
    private void drain() {
        drainScheduled.set(false);
        ArrayDeque<ByteBuf> batch;
        synchronized (outboxLock) {
            if (outbox.isEmpty()) {
                return;
            }
            batch = outbox;
            outbox = writing;
            writing = batch;
        }
        Channel ch = channel;
        if (closeSent || !ch.isActive()) {
            release(batch);
            return;
        }
        ChannelPromise last = ch.newPromise();
        ByteBuf message;
        while ((message = batch.poll()) != null) {
            ch.write(new TextWebSocketFrame(message), batch.isEmpty() ? last : ch.voidPromise());
        }
        if (batchesInFlight++ == 0) {
            inFlightSinceNanos = System.nanoTime();
        }
        last.addListener(batchWritten);
        ch.flush();
    }

    /** A batch's last write completed: the socket took everything before it. */
    private void batchWritten(ChannelFuture written) {
        batchesInFlight--;
        if (!written.isSuccess()) {
            Throwable error = written.cause();
            debug("send failed: " + error);
            releaseOutbox();
            if (!ended.get() && !closing.get()) {
                metrics.disconnect("lost");
            }
            lost(false, "send failed: " + error);
            return;
        }
        inFlightSinceNanos = batchesInFlight == 0 ? 0 : System.nanoTime();
    }

    private void releaseOutbox() {
        synchronized (outboxLock) {
            release(outbox);
        }
    }

    private static void release(ArrayDeque<ByteBuf> messages) {
        ByteBuf message;
        while ((message = messages.poll()) != null) {
            message.release();
        }
    }

    private void lost(boolean clean, String reason) {
        if (ended.compareAndSet(false, true)) {
            if (!closing.get()) {
                handler.onEnded(clean, reason);
            }
        }
    }

    private void received(ServeMessageParser.Outcome outcome) {
        if (outcome.message() == null) {
            if ("wrong_stream".equals(outcome.dropReason())) {
                metrics.dropped("wrong_stream");
                log("a message for another stream was dropped");
            } else {
                drop(outcome.dropReason(), outcome.detail());
            }
            return;
        }
        try {
            handler.onMessage(outcome.message());
        } catch (RuntimeException e) {
            MDC.put("callSid", callSid);
            try {
                LOG.warn("message handling failed: {}", e.toString(), e);
            } finally {
                MDC.remove("callSid");
            }
        }
    }

    private void drop(String reason, String detail) {
        metrics.dropped(reason);
        if (LOG.isDebugEnabled()) {
            MDC.put("callSid", callSid);
            try {
                LOG.debug("message from serve dropped ({}): {}", reason, detail);
            } finally {
                MDC.remove("callSid");
            }
        }
    }

    private void debug(String message) {
        if (LOG.isDebugEnabled()) {
            MDC.put("callSid", callSid);
            try {
                LOG.debug(message);
            } finally {
                MDC.remove("callSid");
            }
        }
    }

    private void log(String message) {
        MDC.put("callSid", callSid);
        try {
            LOG.warn(message);
        } finally {
            MDC.remove("callSid");
        }
    }

    /** Reads serve's frames on the event loop: reassembles fragments, answers pings and closes. */
    private final class Frames extends ChannelInboundHandlerAdapter {
        /** A fragmented message's bytes so far (reused: one message at a time). */
        private byte[] partial = new byte[1024];
        private int partialLength;
        /** Inside a fragmented message; whether it is binary. */
        private boolean fragmented;
        private boolean fragmentedBinary;
        private boolean oversize;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame text) {
                    if (text.isFinalFragment()) {
                        if (!oversize) {
                            received(parser.parse(text.content()));
                        }
                    } else {
                        begin(false, text.content());
                    }
                } else if (msg instanceof ContinuationWebSocketFrame more) {
                    continued(more.content(), more.isFinalFragment());
                } else if (msg instanceof BinaryWebSocketFrame binary) {
                    if (binary.isFinalFragment()) {
                        drop("malformed", "binary frame");
                    } else {
                        begin(true, binary.content());
                    }
                } else if (msg instanceof PingWebSocketFrame ping) {
                    if (!closeSent) {
                        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                    }
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closedByServe(ctx, close.statusCode());
                }
                // Pongs, and the end of the upgrade response, need nothing.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void begin(boolean binary, ByteBuf content) {
            fragmented = true;
            fragmentedBinary = binary;
            partialLength = 0;
            append(content);
        }

        private void continued(ByteBuf content, boolean last) {
            if (!fragmented || oversize) {
                return;
            }
            append(content);
            if (last && !oversize) {
                fragmented = false;
                if (fragmentedBinary) {
                    drop("malformed", "binary frame");
                } else {
                    received(parser.parse(partial, 0, partialLength));
                }
            }
        }

        private void append(ByteBuf content) {
            int length = content.readableBytes();
            if (partialLength + length > MAX_MESSAGE_BYTES) {
                oversize();
                return;
            }
            if (partial.length < partialLength + length) {
                partial = java.util.Arrays.copyOf(partial, Math.max(partialLength + length, 2 * partial.length));
            }
            content.getBytes(content.readerIndex(), partial, partialLength, length);
            partialLength += length;
        }

        /** A message over 64 KiB: the stream is lost, serve is told with 1009 and gets a second to answer. */
        private void oversize() {
            if (oversize) {
                return;
            }
            oversize = true;
            fragmented = false;
            partialLength = 0;
            metrics.disconnect("oversize");
            lost(false, "a message from serve exceeded 64 KiB");
            closing.set(true);
            sendClose(OVERSIZE_CLOSE_CODE, "message too big", 1);
        }

        private void closedByServe(ChannelHandlerContext ctx, int statusCode) {
            int code = statusCode == -1 ? NO_STATUS_CODE : statusCode;
            boolean clean = code == WebSocketCloseStatus.NORMAL_CLOSURE.code();
            if (!ended.get() && !closing.get()) {
                metrics.disconnect(clean ? "normal" : "lost");
            }
            lost(clean, "serve closed the stream (" + code + ")");
            closing.set(true);
            if (closeSent || !ctx.channel().isActive()) {
                // Both sides have closed: the connection is done.
                ctx.close();
                return;
            }
            closeSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE.code(), ""))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException corrupted
                    && corrupted.closeStatus() == WebSocketCloseStatus.MESSAGE_TOO_BIG) {
                oversize();
                return;
            }
            debug("WebSocket error: " + cause);
            if (!ended.get() && !closing.get()) {
                metrics.disconnect("lost");
            }
            lost(false, "connection error: " + cause);
            if (cause instanceof CorruptedWebSocketFrameException corrupted) {
                closing.set(true);
                sendClose(corrupted.closeStatus().code(), "protocol error", 1);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (channel != null) {
                // Gone without a close frame (or after ours): a lost stream unless we were closing it.
                if (!ended.get() && !closing.get()) {
                    metrics.disconnect("lost");
                }
                lost(false, "connection error: serve closed the connection");
            }
            releaseOutbox();
            ctx.fireChannelInactive();
        }
    }
}
