package io.voiceorder.bridge.stream;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens the per-call WebSockets to serve (bridge.md §7.1): one shared JDK HTTP client, the signed
 * upgrade when a secret is set, {@code User-Agent: VoiceOrder-Bridge}, connect + TLS + upgrade within
 * 2 s. {@code connected} is queued as soon as the upgrade succeeds.
 */
public final class StreamClient implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final String USER_AGENT = "VoiceOrder-Bridge";
    /** Threads that hand queued messages to the JDK client (which writes on the sending thread). */
    private static final int WRITER_THREADS = 2;

    private final HttpClient http;
    private final String accountSid;
    private final String secret;
    private final URI defaultTarget;
    private final String signatureUrl;
    private final StreamMetrics metrics;
    private final ExecutorService writers;

    /**
     * @param secret media-stream secret, or null for unsigned upgrades
     * @param signatureUrl URL signed for the default target instead of the dialled one, or null
     */
    public StreamClient(String accountSid, String secret, URI defaultTarget, String signatureUrl, StreamMetrics metrics) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.writers = Executors.newFixedThreadPool(WRITER_THREADS, runnable -> {
            Thread t = new Thread(runnable, "stream-writer");
            t.setDaemon(true);
            return t;
        });
        this.accountSid = accountSid;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.defaultTarget = defaultTarget;
        this.signatureUrl = signatureUrl == null || signatureUrl.isBlank() ? null : signatureUrl;
        this.metrics = metrics;
    }

    public URI defaultTarget() {
        return defaultTarget;
    }

    /** The URL an upgrade to this target signs. */
    public String signedUrlFor(URI target) {
        if (signatureUrl != null && target.equals(defaultTarget)) {
            return signatureUrl;
        }
        return UpgradeSignature.signedUrl(target);
    }

    /**
     * Opens a stream for a call; completes with the connection (with {@code connected} queued), or
     * exceptionally with a {@link StreamConnectException} within about 2 s.
     */
    public CompletableFuture<StreamConnection> connect(String callSid, URI target, StreamHandler handler) {
        StreamConnection connection = new StreamConnection(callSid, accountSid, metrics, writers);
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .header("User-Agent", USER_AGENT);
        if (secret != null) {
            builder.header(UpgradeSignature.HEADER, UpgradeSignature.sign(secret, signedUrlFor(target)));
        }
        AtomicBoolean givenUp = new AtomicBoolean();
        CompletableFuture<StreamConnection> result = new CompletableFuture<>();
        CompletableFuture<WebSocket> opening;
        try {
            opening = builder.buildAsync(target, connection.new Reader());
        } catch (IllegalArgumentException e) {
            metrics.connect("refused");
            result.completeExceptionally(new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                    "invalid WebSocket target: " + e.getMessage(), e));
            return result;
        }
        opening.whenComplete((ws, error) -> {
            if (error == null) {
                if (givenUp.get()) {
                    // The 2 s budget ran out first; the call no longer waits for this socket.
                    ws.abort();
                    return;
                }
                metrics.connect("ok");
                connection.attach(ws, handler);
                connection.sendConnected();
                result.complete(connection);
            } else {
                StreamConnectException failure = classify(error);
                metrics.connect(failure.kind().name().toLowerCase(java.util.Locale.ROOT));
                result.completeExceptionally(failure);
            }
        });
        CompletableFuture.delayedExecutor(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!result.isDone() && givenUp.compareAndSet(false, true)) {
                metrics.connect("timeout");
                result.completeExceptionally(new StreamConnectException(StreamConnectException.Kind.TIMEOUT, 0,
                        "serve did not complete the upgrade within 2 s", null));
                opening.cancel(true);
            }
        });
        return result;
    }

    /** Stops the writer threads (the process is ending). */
    @Override
    public void close() {
        writers.shutdown();
    }

    private static StreamConnectException classify(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            String hint = (status == 401 || status == 403) ? " (check MEDIA_STREAM_SECRET)" : "";
            return new StreamConnectException(StreamConnectException.Kind.REJECTED, status,
                    "serve refused the upgrade with HTTP " + status + hint, cause);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return new StreamConnectException(StreamConnectException.Kind.TIMEOUT, 0,
                    "serve did not complete the upgrade within 2 s", cause);
        }
        if (cause instanceof ConnectException) {
            return new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                    "serve refused the connection", cause);
        }
        return new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                "WebSocket to serve failed: " + cause, cause);
    }
}
