package io.voiceorder.app.bridgeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.CallTransfer;
import io.voiceorder.app.agent.PhoneMask;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.agent.TransferOutcome.Reason;
import io.voiceorder.app.call.CallLogContext;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Transfer in bridge mode (serve.md §8.2): {@code POST <BRIDGE_URL>/api/calls/<sid>/transfer} with
 * {@code wait: true}, so the bridge answers once the transfer was handed off or failed; after a 200,
 * {@code GET /api/calls/<sid>} every second until the bridge reports the hand-off finished (or failed),
 * at most 40 s. The call session also ends the wait itself when the bridge closes the stream.
 */
@Singleton
public final class BridgeCallTransfer implements CallTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeCallTransfer.class);
    private static final Set<Integer> BUSY = Set.of(486, 600);
    private static final Set<Integer> NO_ANSWER = Set.of(408, 480, 487);
    private static final Set<String> HANDED_OFF_STATUSES = Set.of("transferred", "completed");

    private final HttpClient http;
    private final ObjectMapper json;
    private final String bridgeUrl;
    private final Secret token;
    private final Optional<String> sipDomain;
    private final BridgeTransferTimings timings;

    @Inject
    public BridgeCallTransfer(@Named(OutboundHttpFactory.NAME) HttpClient http, ObjectMapper json, ServeConfig config,
                              @Nullable BridgeTransferTimings timings) {
        this(http, json, config.bridgeUrl(), config.bridgeApiToken(), config.sipDomain(),
                timings == null ? BridgeTransferTimings.standard() : timings);
    }

    public BridgeCallTransfer(HttpClient http, ObjectMapper json, URI bridgeUrl, Secret token, Optional<String> sipDomain,
                              BridgeTransferTimings timings) {
        this.http = http;
        this.json = json;
        String base = bridgeUrl.toString();
        this.bridgeUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.sipDomain = sipDomain;
        this.timings = timings;
    }

    /** {@code sip:<number>@<SIP_DOMAIN>} when {@code SIP_DOMAIN} is set, else the bare number (the bridge routes it). */
    String destination(String number) {
        return sipDomain.map(d -> "sip:" + number + "@" + d).orElse(number);
    }

    @Override
    public CompletionStage<TransferOutcome> transfer(CallIdentity call, String number, int ringTimeoutSec) {
        if (number == null || !number.matches("\\+?[0-9]{3,15}")) {
            log(call, () -> LOG.warn("transfer not attempted: the transfer number is not + and digits"));
            return CompletableFuture.completedFuture(TransferOutcome.failed(Reason.ERROR));
        }
        ObjectNode body = json.createObjectNode()
                .put("destination", destination(number))
                .put("timeoutSec", ringTimeoutSec)
                .put("wait", true);
        HttpRequest request = request(callPath(call.callSid()) + "/transfer",
                Duration.ofSeconds(ringTimeoutSec).plus(timings.httpSlack()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        log(call, () -> LOG.info("transfer to {}: asking the bridge (ring {} s)", PhoneMask.mask(number), ringTimeoutSec));
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        log(call, () -> LOG.warn("transfer failed: bridge unreachable or too slow ({})",
                                error.getClass().getSimpleName()));
                        return CompletableFuture.completedFuture(TransferOutcome.failed(Reason.ERROR));
                    }
                    JsonNode reply = parse(response.body());
                    if (response.statusCode() == 200 && "transferred".equals(reply.path("status").asText())) {
                        log(call, () -> LOG.info("transfer handed off by the bridge ({})",
                                reply.path("transfer").path("method").asText("unknown method")));
                        return awaitHandOff(call, System.nanoTime() + timings.handOffLimit().toNanos());
                    }
                    Reason reason = reasonOf(response.statusCode(), reply);
                    log(call, () -> LOG.warn("transfer failed: bridge answered HTTP {} {} (reason {})",
                            response.statusCode(), reply.path("error").asText(""), reason.code()));
                    return CompletableFuture.completedFuture(TransferOutcome.failed(reason));
                })
                .thenCompose(stage -> stage);
    }

    /** After the bridge's 200: the call is done with serve once the bridge reports it transferred or ended. */
    private CompletableFuture<TransferOutcome> awaitHandOff(CallIdentity call, long deadline) {
        if (System.nanoTime() - deadline >= 0) {
            log(call, () -> LOG.warn("transfer failed: the call was still with serve {} s after the bridge accepted it",
                    timings.handOffLimit().toSeconds()));
            return CompletableFuture.completedFuture(TransferOutcome.failed(Reason.ERROR));
        }
        HttpRequest poll = request(callPath(call.callSid()), timings.pollInterval().plusSeconds(4)).GET().build();
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(timings.pollInterval().toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> http.sendAsync(poll, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)))
                .handle((response, error) -> {
                    if (error != null) {
                        return awaitHandOff(call, deadline);
                    }
                    if (response.statusCode() == 404) {
                        // Ended and purged by the bridge: the caller has left serve.
                        return CompletableFuture.completedFuture(TransferOutcome.transferred());
                    }
                    JsonNode callObject = parse(response.body());
                    JsonNode transfer = callObject.path("transfer");
                    if ("failed".equals(transfer.path("state").asText())) {
                        Reason reason = reasonOfSip(transfer);
                        log(call, () -> LOG.warn("transfer failed after hand-off: SIP {} (reason {})",
                                transfer.path("sipCode").asText("-"), reason.code()));
                        return CompletableFuture.completedFuture(TransferOutcome.failed(reason));
                    }
                    if (HANDED_OFF_STATUSES.contains(callObject.path("status").asText())
                            || "succeeded".equals(transfer.path("state").asText())) {
                        log(call, () -> LOG.info("transfer completed: the bridge reports status {}",
                                callObject.path("status").asText()));
                        return CompletableFuture.completedFuture(TransferOutcome.transferred());
                    }
                    return awaitHandOff(call, deadline);
                })
                .thenCompose(stage -> stage);
    }

    /** The reason given to the model for a refused transfer request. */
    static Reason reasonOf(int status, JsonNode reply) {
        if (status == 403) {
            return Reason.REFUSED;
        }
        if (status == 502) {
            return reasonOfSip(reply.path("transfer"));
        }
        return Reason.ERROR;
    }

    /** SIP 486/600 busy; 408/480/487 no answer; 403 or a refused REFER refused; anything else error. */
    static Reason reasonOfSip(JsonNode transfer) {
        int sip = transfer.path("sipCode").asInt(0);
        if (BUSY.contains(sip)) {
            return Reason.BUSY;
        }
        if (NO_ANSWER.contains(sip)) {
            return Reason.NO_ANSWER;
        }
        if (sip == 403 || ("refer".equals(transfer.path("method").asText()) && sip >= 300)) {
            return Reason.REFUSED;
        }
        return Reason.ERROR;
    }

    private static String callPath(String callSid) {
        return "/api/calls/" + URLEncoder.encode(callSid == null ? "" : callSid, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bridgeUrl + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (token.isSet()) {
            b.header("Authorization", "Bearer " + token.reveal());
        }
        return b;
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : json.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static void log(CallIdentity call, Runnable line) {
        CallLogContext.run(call.callSid(), line);
    }
}
