package io.voiceorder.app.twilio;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.metrics.VoiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.http.HttpStatus;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Twilio's voice webhook (serve.md §3.2). A valid signature (when {@code TWILIO_AUTH_TOKEN} is set),
 * then the {@link IncomingCallDecider}'s answer as TwiML: the stream, a rejection, busy, or a dial.
 * The answer is asynchronous, so the backend look-ups never hold the event loop.
 */
@Controller
public final class IncomingCallController {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingCallController.class);
    private static final MediaType XML = MediaType.of("application/xml;charset=utf-8");

    private final ServeConfig config;
    private final PublicUrls urls;
    private final IncomingCallDecider decider;
    private final VoiceMetrics metrics;

    public IncomingCallController(ServeConfig config, PublicUrls urls, IncomingCallDecider decider, VoiceMetrics metrics) {
        this.config = config;
        this.urls = urls;
        this.decider = decider;
        this.metrics = metrics;
    }

    @Get("/incoming-call")
    public CompletableFuture<HttpResponse<String>> incomingGet(HttpRequest<?> request) {
        return handle(request, parse(request.getUri().getRawQuery()), List.of());
    }

    @Post(value = "/incoming-call", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public CompletableFuture<HttpResponse<String>> incomingPost(HttpRequest<?> request, @Nullable @Body String body) {
        List<Map.Entry<String, String>> form = parse(body);
        List<Map.Entry<String, String>> params = new ArrayList<>(parse(request.getUri().getRawQuery()));
        params.addAll(form);
        return handle(request, params, form);
    }

    private CompletableFuture<HttpResponse<String>> handle(HttpRequest<?> request, List<Map.Entry<String, String>> params,
                                                           List<Map.Entry<String, String>> signedForm) {
        String callSid = first(params, "CallSid");
        // The signature comes first: an unsigned request never reaches the backend or the capacity count.
        if (config.twilioAuthToken().isSet()) {
            String signature = request.getHeaders().get("X-Twilio-Signature");
            if (!TwilioSignature.matches(config.twilioAuthToken().reveal(), signature,
                    List.of(urls.webhookUrl(request)), signedForm)) {
                LOG.warn("incoming-call from {} refused: bad or missing signature (CallSid {})",
                        request.getRemoteAddress().getAddress().getHostAddress(), callSid == null ? "-" : callSid);
                metrics.rejected("incoming-call", "signature");
                return CompletableFuture.completedFuture(HttpResponse.status(HttpStatus.FORBIDDEN));
            }
        }
        if (callSid == null || callSid.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HttpResponse.<String>badRequest().contentType(MediaType.TEXT_PLAIN_TYPE).body("missing CallSid"));
        }
        String from = orEmpty(first(params, "From"));
        String to = orEmpty(first(params, "To"));
        IncomingCallDecider.IncomingCall call = new IncomingCallDecider.IncomingCall(callSid, from, to);
        return decider.decide(call).thenApply(decision -> xml(twiml(request, call, decision)));
    }

    private String twiml(HttpRequest<?> request, IncomingCallDecider.IncomingCall call, IncomingCallDecision decision) {
        if (decision instanceof IncomingCallDecision.Reject) {
            return Twiml.reject();
        }
        if (decision instanceof IncomingCallDecision.Busy busy) {
            return Twiml.busy(busy.language());
        }
        if (decision instanceof IncomingCallDecision.Dial dial) {
            return Twiml.dialDocument(dial.number(), dial.ringTimeoutSec(), urls.base(request)
                    + "/transfer-result?restaurantId=" + URLEncoder.encode(dial.restaurantId(), StandardCharsets.UTF_8));
        }
        IncomingCallDecision.Connect connect = (IncomingCallDecision.Connect) decision;
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("callerPhone", call.from());
        if (connect.restaurantId() != null) {
            parameters.put("restaurantId", connect.restaurantId());
        }
        parameters.put("callSid", call.callSid());
        parameters.put("direction", "inbound");
        parameters.put("to", call.to());
        return Twiml.stream(urls.streamUrl(request), parameters, true);
    }

    private static HttpResponse<String> xml(String body) {
        return HttpResponse.ok(body).contentType(XML);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String first(List<Map.Entry<String, String>> params, String name) {
        for (Map.Entry<String, String> p : params) {
            if (p.getKey().equals(name)) {
                return p.getValue();
            }
        }
        return null;
    }

    /** {@code application/x-www-form-urlencoded} (or a raw query string) into ordered pairs. */
    static List<Map.Entry<String, String>> parse(String encoded) {
        List<Map.Entry<String, String>> result = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return result;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                result.add(new AbstractMap.SimpleImmutableEntry<>(
                        URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                // A malformed escape: the pair is ignored, and the signature check fails on its own.
            }
        }
        return result;
    }
}
