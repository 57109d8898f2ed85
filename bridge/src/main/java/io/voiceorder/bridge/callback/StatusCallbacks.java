package io.voiceorder.bridge.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.bridge.call.CallRecord;
import io.voiceorder.bridge.call.CallView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Status callbacks (bridge.md §4.1): {@code initiated}, {@code ringing}, {@code answered}, {@code completed},
 * each at most once and in that order per call; delivered in order per call with up to 3 retries after
 * 1, 2, 4 s on connection errors, timeouts, 5xx and 429. Never blocks the caller.
 */
public final class StatusCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(StatusCallbacks.class);
    public static final List<String> EVENTS = List.of("initiated", "ringing", "answered", "completed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Optional<URI> globalUrl;
    private final String method;
    private final Duration timeout;
    private final CallbackSigner signer;
    private final ScheduledExecutorService scheduler;
    private final CallbackEvents events;
    private final Clock clock;
    private final List<Duration> retryDelays;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastSent = new ConcurrentHashMap<>();

    public StatusCallbacks(HttpClient http, Optional<URI> globalUrl, String method, Duration timeout, CallbackSigner signer,
                           ScheduledExecutorService scheduler, CallbackEvents events, Clock clock, List<Duration> retryDelays) {
        this.http = http;
        this.globalUrl = globalUrl;
        this.method = method;
        this.timeout = timeout;
        this.signer = signer;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
        this.retryDelays = retryDelays;
    }

    /** Queues {@code event} for the call; skipped when already sent or when a later event went out. */
    public void send(CallRecord call, String event) {
        int index = EVENTS.indexOf(event);
        synchronized (this) {
            Integer last = lastSent.get(call.sid());
            if (last != null && last >= index) {
                return;
            }
            lastSent.put(call.sid(), index);
        }
        Optional<URI> url = call.callbackUrl().map(URI::create).or(() -> globalUrl);
        if (url.isEmpty()) {
            return;
        }
        CallView view = call.view();
        Instant at = clock.instant();
        tails.compute(call.sid(), (sid, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .thenCompose(ignored -> deliver(url.get(), view, event, at, 0))
                .whenComplete((ok, error) -> {
                    if (event.equals("completed")) {
                        tails.remove(sid);
                        lastSent.remove(sid);
                    }
                }));
    }

    /** Waits (bounded) for queued callbacks: shutdown is best effort within its budget. */
    public void drain(Duration budget) {
        CompletableFuture<?>[] pending = tails.values().toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("status callbacks still pending at shutdown: {}", pending.length);
        }
    }

    private CompletableFuture<Void> deliver(URI url, CallView view, String event, Instant at, int attempt) {
        HttpRequest request;
        try {
            request = request(url, view, event, at);
        } catch (IOException | IllegalArgumentException e) {
            log(view.sid(), "status callback {} not sent: {}", event, e.getMessage());
            events.onCallback("status", "failed");
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    int status = response == null ? 0 : response.statusCode();
                    boolean retryable = error != null || status >= 500 || status == 429;
                    if (!retryable && status >= 200 && status < 300) {
                        events.onCallback("status", "ok");
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    String why = error != null ? error.getClass().getSimpleName() : "HTTP " + status;
                    if (retryable && attempt < retryDelays.size()) {
                        events.onCallback("status", "retry");
                        log(view.sid(), "status callback {} to {} failed ({}), retry {} in {} s", event, hostOf(url), why,
                                attempt + 1, retryDelays.get(attempt).toMillis() / 1000.0);
                        Executor later = CompletableFuture.delayedExecutor(retryDelays.get(attempt).toMillis(),
                                TimeUnit.MILLISECONDS, scheduler);
                        return CompletableFuture.supplyAsync(() -> null, later)
                                .thenCompose(x -> deliver(url, view, event, at, attempt + 1));
                    }
                    events.onCallback("status", "failed");
                    log(view.sid(), "status callback {} to {} failed ({}), given up", event, hostOf(url), why, null, null);
                    return CompletableFuture.<Void>completedFuture(null);
                })
                .thenCompose(f -> f);
    }

    private HttpRequest request(URI url, CallView view, String event, Instant at) throws IOException {
        ObjectNode body = JSON.valueToTree(view);
        body.put("event", event);
        body.put("timestamp", CallRecord.iso(at));
        HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(timeout).header("User-Agent", "VoiceOrder-Bridge");
        if (method.equals("GET")) {
            URI full = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + query(body));
            signer.sign(full.toString(), clock.instant()).ifPresent(s -> builder.header(CallbackSigner.HEADER, s));
            return builder.uri(full).GET().build();
        }
        String json = JSON.writeValueAsString(body);
        signer.sign(json, clock.instant()).ifPresent(s -> builder.header(CallbackSigner.HEADER, s));
        return builder.uri(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    /** Scalars as parameters (nulls omitted), custom parameters as {@code customParams.<key>}, no media/transfer. */
    static String query(ObjectNode body) {
        StringJoiner q = new StringJoiner("&");
        Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            var value = field.getValue();
            if (field.getKey().equals("customParams") && value.isObject()) {
                value.fields().forEachRemaining(p -> q.add(enc("customParams." + p.getKey()) + "=" + enc(p.getValue().asText())));
            } else if (value.isValueNode() && !value.isNull()) {
                q.add(enc(field.getKey()) + "=" + enc(value.asText()));
            }
        }
        return q.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String hostOf(URI url) {
        return url.getHost();
    }

    private static void log(String sid, String format, Object... args) {
        MDC.put("callSid", sid);
        try {
            LOG.warn(format, args);
        } finally {
            MDC.remove("callSid");
        }
    }
}
