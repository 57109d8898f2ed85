package io.voiceorder.bridge.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.bridge.call.CallRecord;
import io.voiceorder.bridge.config.BridgeConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The incoming callback (bridge.md §4.2): POSTed while the call rings, before anything is answered.
 * Never fails: every problem becomes {@link IncomingDecision#fallback}. No retries.
 */
public final class IncomingCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;
    private final CallbackSigner signer;
    private final CallbackEvents events;
    private final Clock clock;

    public IncomingCallback(HttpClient http, URI url, Duration timeout, CallbackSigner signer, CallbackEvents events, Clock clock) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.signer = signer;
        this.events = events;
        this.clock = clock;
    }

    public CompletableFuture<IncomingDecision> ask(CallRecord call) {
        ObjectNode body = JSON.createObjectNode();
        body.put("sid", call.sid());
        body.put("from", call.from());
        body.put("to", call.to());
        body.put("timestamp", CallRecord.iso(clock.instant()));
        body.put("source", call.source());
        body.put("device", call.device());
        String json = body.toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("User-Agent", "VoiceOrder-Bridge").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        signer.sign(json, clock.instant()).ifPresent(s -> request.header(CallbackSigner.HEADER, s));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        events.onCallback("incoming", "failed");
                        return IncomingDecision.fallback(rootName(error));
                    }
                    IncomingDecision decision = parse(response.statusCode(), response.body());
                    events.onCallback("incoming", decision.action() == IncomingDecision.Action.FALLBACK ? "failed" : "ok");
                    return decision;
                });
    }

    static IncomingDecision parse(int status, String body) {
        if (status < 200 || status >= 300) {
            return IncomingDecision.fallback("HTTP " + status);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            return IncomingDecision.fallback("bad JSON");
        }
        if (node == null || !node.isObject()) {
            return IncomingDecision.fallback("bad JSON");
        }
        String action = node.path("action").asText("").toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode custom = node.path("customParams");
        if (custom.isObject()) {
            custom.fields().forEachRemaining(f -> {
                if (!BridgeConfig.RESERVED_PARAMS.contains(f.getKey()) && f.getValue().isValueNode()) {
                    params.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        Optional<String> wsTarget = text(node, "wsTarget");
        Optional<String> callbackUrl = text(node, "callbackUrl");
        return switch (action) {
            case "accept" -> new IncomingDecision(IncomingDecision.Action.ACCEPT, 0, params, wsTarget, callbackUrl, "accept");
            case "reject" -> {
                int code = node.path("statusCode").asInt(486);
                yield new IncomingDecision(IncomingDecision.Action.REJECT, code >= 400 && code <= 699 ? code : 486, Map.of(),
                        Optional.empty(), callbackUrl, "reject");
            }
            case "ignore" -> new IncomingDecision(IncomingDecision.Action.IGNORE, 0, Map.of(), Optional.empty(), callbackUrl, "ignore");
            default -> IncomingDecision.fallback("unknown action");
        };
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? Optional.empty() : Optional.of(v.asText());
    }

    private static String rootName(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
