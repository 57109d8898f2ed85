package io.voiceorder.bridge.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call's WebSocket to serve, speaking the caller side of the media-stream protocol. Writes leave
 * in the order produced through one queue (the JDK client allows one outstanding send); numbered
 * messages get their {@code sequenceNumber} when queued, so numbering and wire order agree; nothing
 * leaves after {@code stop}. A send pending for 5 s means serve is not draining: the stream is lost.
 * Reads are reassembled up to 64 KiB (beyond: close 1008, lost), parsed and checked (bridge.md §7.3).
 */
public final class StreamConnection {
    public static final int MAX_MESSAGE_CHARS = 64 * 1024;
    public static final long DRAIN_TIMEOUT_NANOS = 5_000_000_000L;
    /** Close code for a message over the limit (see Reader.onText for why not 1009). */
    public static final int OVERSIZE_CLOSE_CODE = 1008;
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final String callSid;
    private final String quotedSid;
    private final String accountSid;
    private final StreamMetrics metrics;
    private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object numbering = new Object();
    private final Executor writer;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final Runnable pumpTask = () -> {
        pumpScheduled.set(false);
        pump();
    };
    private volatile WebSocket webSocket;
    private volatile StreamHandler handler;
    /** Start of the send in flight, 0 when none: what the drain watchdog looks at. */
    private volatile long inFlightSinceNanos;
    private long nextSequence = 1;
    private long nextChunk = 1;
    private boolean startSent;
    private boolean stopSent;
    private final MediaMessageWriter mediaWriter;
    private final StringBuilder markText = new StringBuilder(128);
    private final ServeMessageParser parser;

    StreamConnection(String callSid, String accountSid, StreamMetrics metrics, Executor writer) {
        this.writer = writer;
        this.callSid = callSid;
        this.quotedSid = TwilioJson.quote(callSid);
        this.parser = new ServeMessageParser(callSid);
        this.mediaWriter = new MediaMessageWriter(callSid);
        this.accountSid = accountSid;
        this.metrics = metrics;
    }

    void attach(WebSocket webSocket, StreamHandler handler) {
        this.webSocket = webSocket;
        this.handler = handler;
        webSocket.request(1);
        pump();
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
     * written into a reused buffer: its text is this call's only allocation per frame.
     */
    public void sendMedia(byte[] frame, int offset, int length) {
        synchronized (numbering) {
            if (!startSent || stopSent) {
                return;
            }
            enqueue(mediaWriter.write(nextSequence++, nextChunk++, frame, offset, length));
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
            enqueue(markText.toString());
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
        closeWith(WebSocket.NORMAL_CLOSURE, "call ended");
    }

    /** Drops the connection at once without a close handshake. */
    public void abort() {
        closing.set(true);
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** Called on every pacer tick: a send stuck for 5 s means serve stopped reading. */
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
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        whenOutboxEmpty().thenRun(() -> {
            if (ws.isOutputClosed()) {
                debug("close " + code + " not sent: output already closed");
            } else {
                ws.sendClose(code, reason).orTimeout(1, TimeUnit.SECONDS).whenComplete((w, e) -> {
                    if (e != null) {
                        debug("close " + code + " not sent: " + e);
                    }
                    // Give serve time to answer the close, then free the connection in any case.
                    CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS).execute(ws::abort);
                });
            }
        });
    }

    private void enqueue(String message) {
        if (ended.get() || closing.get()) {
            return;
        }
        outbox.add(message);
        if (!sending.get() && pumpScheduled.compareAndSet(false, true)) {
            // The JDK client writes to the socket on the thread that sends: keep that off the pacer.
            try {
                writer.execute(pumpTask);
            } catch (RejectedExecutionException e) {
                // The engine is shutting down: the last messages (stop) leave from this thread.
                pumpTask.run();
            }
        }
    }

    /**
     * Sends queued messages one at a time (the JDK client allows one outstanding send). A send the socket
     * took at once completes on this thread: the loop goes on here instead of from its completion callback,
     * which would nest one call deeper per message and, with a long queue (serve catching up after a stall),
     * overflow the stack inside the callback, where the error is swallowed and sending stops for good.
     */
    private void pump() {
        WebSocket ws = webSocket;
        while (ws != null && sending.compareAndSet(false, true)) {
            String next = outbox.poll();
            if (next == null) {
                sending.set(false);
                if (outbox.isEmpty()) {
                    return;
                }
                continue; // queued after the poll, before sending was cleared
            }
            inFlightSinceNanos = System.nanoTime();
            CompletableFuture<WebSocket> sent = ws.sendText(next, true);
            if (!sent.isDone()) {
                sent.whenComplete((w, error) -> {
                    if (sendCompleted(error)) {
                        pump();
                    }
                });
                return;
            }
            Throwable error = sent.isCompletedExceptionally() ? sent.handle((w, e) -> e).join() : null;
            if (!sendCompleted(error)) {
                return;
            }
        }
    }

    /** @return whether sending may go on */
    private boolean sendCompleted(Throwable error) {
        inFlightSinceNanos = 0;
        sending.set(false);
        if (error == null) {
            return true;
        }
        debug("send failed: " + error);
        outbox.clear();
        if (!closing.get()) {
            metrics.disconnect("lost");
        }
        lost(false, "send failed: " + error);
        return false;
    }

    private CompletableFuture<Void> whenOutboxEmpty() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable check = new Runnable() {
            private int tries;

            @Override
            public void run() {
                if ((outbox.isEmpty() && !sending.get()) || ended.get() || ++tries > 100) {
                    done.complete(null);
                } else {
                    CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS).execute(this);
                }
            }
        };
        check.run();
        return done;
    }

    private void lost(boolean clean, String reason) {
        if (ended.compareAndSet(false, true)) {
            StreamHandler h = handler;
            if (h != null && !closing.get()) {
                h.onEnded(clean, reason);
            }
        }
    }

    private void received(char[] text, int offset, int length) {
        ServeMessageParser.Outcome outcome = parser.parse(text, offset, length);
        if (outcome.message() == null) {
            if ("wrong_stream".equals(outcome.dropReason())) {
                metrics.dropped("wrong_stream");
                log("a message for another stream was dropped");
            } else {
                drop(outcome.dropReason(), outcome.detail());
            }
            return;
        }
        StreamHandler h = handler;
        if (h != null) {
            h.onMessage(outcome.message());
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

    /** The JDK listener: reassembles text, keeps demand at one message. */
    final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        /** A reassembled message's characters, for the parser (reused: one message at a time). */
        private char[] whole = new char[1024];
        private boolean oversize;

        @Override
        public void onOpen(WebSocket ws) {
            // Demand starts at attach(), once the call's handler is known.
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!oversize) {
                if (partial.length() + data.length() > MAX_MESSAGE_CHARS) {
                    oversize = true;
                    partial.setLength(0);
                    metrics.disconnect("oversize");
                    lost(false, "a message from serve exceeded 64 KiB");
                    closing.set(true);
                    // RFC 6455 names 1009 for this, but the JDK client may not send it (it allows 1000,
                    // 1001, 1008, 1011, 3000-4999): 1008 is the nearest legal code. serve answers the
                    // close; the connection is freed in any case a second later.
                    ws.sendClose(OVERSIZE_CLOSE_CODE, "message too big");
                    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(ws::abort);
                    return null;
                }
                if (!last || partial.length() > 0 || !(data instanceof CharBuffer chars) || !chars.hasArray()) {
                    partial.append(data);
                }
            }
            if (last && !oversize) {
                try {
                    if (partial.length() == 0 && data instanceof CharBuffer chars && chars.hasArray()) {
                        // The usual case, a message in one piece: parsed where the client decoded it.
                        received(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
                    } else {
                        int length = partial.length();
                        if (whole.length < length) {
                            whole = new char[Math.max(length, 2 * whole.length)];
                        }
                        partial.getChars(0, length, whole, 0);
                        partial.setLength(0);
                        received(whole, 0, length);
                    }
                } catch (RuntimeException e) {
                    MDC.put("callSid", callSid);
                    try {
                        LOG.warn("message handling failed: {}", e.toString(), e);
                    } finally {
                        MDC.remove("callSid");
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (last) {
                drop("malformed", "binary frame");
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            boolean clean = statusCode == WebSocket.NORMAL_CLOSURE;
            if (!ended.get() && !closing.get()) {
                metrics.disconnect(clean ? "normal" : "lost");
            }
            lost(clean, "serve closed the stream (" + statusCode + ")");
            closing.set(true);
            if (!ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(ws::abort);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            debug("WebSocket error: " + error);
            if (!ended.get() && !closing.get()) {
                metrics.disconnect("lost");
            }
            lost(false, "connection error: " + error);
        }
    }
}
