package io.voiceorder.app.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.config.ServeConfig;
import jakarta.inject.Singleton;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Opens sockets to OpenAI Realtime (GA interface: no {@code OpenAI-Beta} header). One HTTP client
 * serves every call. A failed handshake is retried on the schedule of the spec unless OpenAI said
 * 401/403, which no retry can fix.
 */
@Singleton
public final class RealtimeConnector {
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    static final List<Long> RETRY_DELAYS_MS = List.of(0L, 250L, 500L, 1000L, 2000L);

    private final ServeConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final URI endpoint;

    public RealtimeConnector(ServeConfig config, ObjectMapper json) {
        SocketBuffers.apply();
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(HANDSHAKE_TIMEOUT).build();
        this.endpoint = endpoint(config.openaiRealtimeUrl(), config.model());
    }

    static URI endpoint(URI base, String model) {
        String s = base.toString();
        String sep = base.getRawQuery() == null ? "?" : "&";
        return URI.create(s + sep + "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One handshake attempt. */
    public CompletableFuture<RealtimeSocket> connectOnce() {
        RealtimeSocket socket = new RealtimeSocket(json);
        return http.newWebSocketBuilder()
                .connectTimeout(HANDSHAKE_TIMEOUT)
                .header("Authorization", "Bearer " + config.openaiApiKey().reveal())
                .buildAsync(endpoint, socket.new Reader())
                .orTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ws, error) -> {
                    if (error != null) {
                        throw classify(error);
                    }
                    socket.attach(ws);
                    return socket;
                });
    }

    /**
     * Handshakes until one succeeds, with the retry schedule; fails with the last reason.
     *
     * @param scheduler where the waits between attempts run (the call's timer)
     */
    public CompletableFuture<RealtimeSocket> connect(Executor scheduler) {
        return attempt(0, scheduler);
    }

    private CompletableFuture<RealtimeSocket> attempt(int n, Executor scheduler) {
        long delay = RETRY_DELAYS_MS.get(n);
        Executor after = delay == 0 ? Runnable::run : CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, scheduler);
        return CompletableFuture.supplyAsync(() -> null, after)
                .thenCompose(ignored -> connectOnce())
                .handle((socket, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(socket);
                    }
                    RealtimeConnectException failure = unwrap(error);
                    if (!failure.retryable() || n + 1 >= RETRY_DELAYS_MS.size()) {
                        return CompletableFuture.<RealtimeSocket>failedFuture(failure);
                    }
                    return attempt(n + 1, scheduler);
                })
                .thenCompose(f -> f);
    }

    private static RealtimeConnectException unwrap(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof RealtimeConnectException r ? r : classify(t);
    }

    static RealtimeConnectException classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RealtimeConnectException r) {
                return r;
            }
            if (t instanceof WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                return new RealtimeConnectException("http_" + status, status != 401 && status != 403);
            }
            if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return new RealtimeConnectException("connect_timeout", true);
            }
            if (t instanceof ConnectException) {
                return new RealtimeConnectException("connect_refused", true);
            }
        }
        return new RealtimeConnectException("connect_failed", true);
    }
}
