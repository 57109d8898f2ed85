package io.voiceorder.app.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket to OpenAI Realtime. Writes leave through a single queue, in the order produced
 * (the JDK client allows one outstanding send at a time); reads are reassembled up to 16 MiB and
 * parsed before they reach the listener.
 */
public final class RealtimeSocket {
    static final int MAX_EVENT_CHARS = 16 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeSocket.class);

    private final ObjectMapper json;
    private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WebSocket webSocket;
    private volatile RealtimeListener listener;

    RealtimeSocket(ObjectMapper json) {
        this.json = json;
    }

    void attach(WebSocket webSocket) {
        this.webSocket = webSocket;
        if (listener != null) {
            webSocket.request(1);
        }
        pump();
    }

    /** Sets who hears the events; events that arrive before are held by the JDK's demand. */
    public void listen(RealtimeListener listener) {
        this.listener = listener;
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.request(1);
        }
    }

    /** Queues a client event; it leaves after every event queued before it. */
    public void send(String event) {
        if (closedByUs.get() || ended.get()) {
            return;
        }
        outbox.add(event);
        pump();
    }

    private void pump() {
        WebSocket ws = webSocket;
        if (ws == null || !sending.compareAndSet(false, true)) {
            return;
        }
        String next = outbox.poll();
        if (next == null) {
            sending.set(false);
            if (!outbox.isEmpty()) {
                pump();
            }
            return;
        }
        ws.sendText(next, true).whenComplete((w, error) -> {
            sending.set(false);
            if (error != null) {
                outbox.clear();
                lost("send_failed");
            } else {
                pump();
            }
        });
    }

    /** Closes with 1000 once the queued events have left. */
    public void close() {
        if (!closedByUs.compareAndSet(false, true)) {
            return;
        }
        WebSocket ws = webSocket;
        if (ws == null) {
            return;
        }
        // The peer answers the close frame and the connection ends by itself; the abort only bounds a silent peer.
        whenOutboxEmpty().thenRun(() -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "call ended")
                .orTimeout(1, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete((w, e) -> CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS)
                        .execute(ws::abort)));
    }

    private CompletableFuture<Void> whenOutboxEmpty() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable check = new Runnable() {
            int tries;

            @Override
            public void run() {
                if ((outbox.isEmpty() && !sending.get()) || ++tries > 100) {
                    done.complete(null);
                } else {
                    CompletableFuture.delayedExecutor(10, java.util.concurrent.TimeUnit.MILLISECONDS).execute(this);
                }
            }
        };
        check.run();
        return done;
    }

    /** Drops the connection at once (abnormal end, no close handshake). */
    public void abort() {
        closedByUs.set(true);
        WebSocket ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    public boolean isOpen() {
        return !closedByUs.get() && !ended.get();
    }

    private void lost(String reason) {
        if (ended.compareAndSet(false, true) && !closedByUs.get()) {
            RealtimeListener l = listener;
            if (l != null) {
                l.onLost(reason);
            }
        }
    }

    /** The JDK listener: reassembles frames, parses, and keeps demand at one message. */
    final class Reader implements WebSocket.Listener {
        /** Only while a message arrives in parts; dropped after it, so an idle call keeps no buffer sized for its largest event. */
        private StringBuilder partial;

        @Override
        public void onOpen(WebSocket ws) {
            // Demand starts when a listener is set (listen), so no event is read before someone hears it.
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            int held = partial == null ? 0 : partial.length();
            if (held + data.length() > MAX_EVENT_CHARS) {
                LOG.warn("OpenAI event over 16 MiB dropped");
                partial = null;
                ws.request(1);
                return null;
            }
            if (!last) {
                if (partial == null) {
                    partial = new StringBuilder(data.length() * 2);
                }
                partial.append(data);
                ws.request(1);
                return null;
            }
            long now = System.nanoTime();
            String text;
            if (partial == null) {
                text = data.toString();
            } else {
                text = partial.append(data).toString();
                partial = null;
            }
            JsonNode event = parse(text);
            if (event != null && listener != null) {
                listener.onEvent(event, now);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            LOG.debug("binary frame from OpenAI ignored");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost("closed_" + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost("socket_error");
        }

        private JsonNode parse(String text) {
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.isObject() && node.path("type").isTextual()) {
                    return node;
                }
            } catch (java.io.IOException e) {
                // fall through: logged below without the payload
            }
            LOG.warn("unparsable OpenAI event ignored ({} chars)", text.length());
            return null;
        }
    }
}
