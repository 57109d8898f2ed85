package io.voiceorder.app.twilio;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.voiceorder.app.agent.PhoneMask;
import io.voiceorder.app.call.CallLogContext;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.metrics.VoiceMetrics;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.RestaurantBackend;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code /transfer-result} (serve.md §3.3): Twilio asks what to do once a {@code <Dial>} placed by serve
 * (automatic transfer, or {@code transfer_call}) has ended. Answered → hang up; otherwise the caller goes
 * back to the agent through a new stream carrying {@code transferFailed}, so the agent opens by saying
 * nobody is available and offers to take a message. The call record's {@code transferStatus} is updated
 * off the event loop; the answer never waits for the backend.
 */
@Controller
public final class TransferResultController {
    private static final Logger LOG = LoggerFactory.getLogger(TransferResultController.class);
    private static final MediaType XML = MediaType.of("application/xml;charset=utf-8");
    private static final Set<String> ANSWERED = Set.of("completed", "answered");

    private final ServeConfig config;
    private final PublicUrls urls;
    private final CallRegistry registry;
    private final VoiceMetrics metrics;
    private final BeanProvider<RestaurantBackend> backend;
    private final ExecutorService io;

    public TransferResultController(ServeConfig config, PublicUrls urls, CallRegistry registry, VoiceMetrics metrics,
                                    BeanProvider<RestaurantBackend> backend, @Named(TaskExecutors.IO) ExecutorService io) {
        this.config = config;
        this.urls = urls;
        this.registry = registry;
        this.metrics = metrics;
        this.backend = backend;
        this.io = io;
    }

    @Get("/transfer-result")
    public HttpResponse<String> resultGet(HttpRequest<?> request) {
        return handle(request, IncomingCallController.parse(request.getUri().getRawQuery()), List.of());
    }

    @Post(value = "/transfer-result", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<String> resultPost(HttpRequest<?> request, @Nullable @Body String body) {
        List<Map.Entry<String, String>> form = IncomingCallController.parse(body);
        List<Map.Entry<String, String>> params = new ArrayList<>(IncomingCallController.parse(request.getUri().getRawQuery()));
        params.addAll(form);
        return handle(request, params, form);
    }

    private HttpResponse<String> handle(HttpRequest<?> request, List<Map.Entry<String, String>> params,
                                        List<Map.Entry<String, String>> signedForm) {
        String callSid = first(params, "CallSid");
        if (config.twilioAuthToken().isSet()) {
            String signature = request.getHeaders().get("X-Twilio-Signature");
            if (!TwilioSignature.matches(config.twilioAuthToken().reveal(), signature,
                    List.of(urls.webhookUrl(request)), signedForm)) {
                LOG.warn("transfer-result from {} refused: bad or missing signature (CallSid {})",
                        request.getRemoteAddress().getAddress().getHostAddress(), callSid == null ? "-" : callSid);
                metrics.rejected("transfer-result", "signature");
                return HttpResponse.status(HttpStatus.FORBIDDEN);
            }
        }
        if (callSid == null || callSid.isEmpty()) {
            return HttpResponse.<String>badRequest().contentType(MediaType.TEXT_PLAIN_TYPE).body("missing CallSid");
        }
        String dialStatus = orEmpty(first(params, "DialCallStatus")).trim().toLowerCase(Locale.ROOT);
        if (ANSWERED.contains(dialStatus)) {
            CallLogContext.run(callSid, () -> LOG.info("transfer answered ({}): hanging up our side", dialStatus));
            recordStatus(callSid, "completed");
            return xml(Twiml.hangup());
        }
        String failed = dialStatus.isEmpty() ? "failed" : dialStatus;
        recordStatus(callSid, failed);
        boolean outbound = orEmpty(first(params, "Direction")).startsWith("outbound");
        String person = orEmpty(first(params, outbound ? "To" : "From"));
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("callerPhone", person);
        String restaurant = first(params, "restaurantId");
        if (restaurant == null || restaurant.isEmpty()) {
            restaurant = config.restaurantId().orElseGet(() ->
                    backend.isPresent() ? backend.get().defaultRestaurantId().orElse(null) : null);
        }
        if (restaurant != null) {
            parameters.put("restaurantId", restaurant);
        }
        parameters.put("callSid", callSid);
        parameters.put("direction", outbound ? "outbound" : "inbound");
        parameters.put("to", orEmpty(first(params, "To")));
        parameters.put("transferFailed", failed);
        // The caller comes back as a new stream: its slot is reserved like a new call's (the caller has priority
        // over new calls, so a full house does not refuse it).
        registry.reserve(callSid);
        CallLogContext.run(callSid, () -> LOG.info("transfer not answered ({}): {} goes back to the agent",
                failed, PhoneMask.mask(person)));
        return xml(Twiml.stream(urls.streamUrl(request), parameters, false));
    }

    private void recordStatus(String callSid, String status) {
        if (!backend.isPresent()) {
            return;
        }
        try {
            io.execute(() -> CallLogContext.run(callSid, () -> {
                try {
                    backend.get().updateTransferStatus(callSid, status);
                } catch (BackendException e) {
                    LOG.warn("transfer status {} not recorded: {}", status, e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warn("transfer status {} not recorded: {}", status, e.getClass().getSimpleName());
                }
            }));
        } catch (RejectedExecutionException e) {
            LOG.warn("transfer status {} not recorded: serve is stopping", status);
        }
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
}
