package io.voiceorder.app.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.voiceorder.app.Version;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.realtime.OpenAiHealth;
import io.voiceorder.app.realtime.RealtimeConnector;
import io.voiceorder.app.restaurant.BackendHealth;
import io.voiceorder.app.restaurant.RestaurantBackend;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: what serve is and whether it can take calls. No secret, no phone number. */
@Controller
public final class HealthController {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServeConfig config;
    private final CallRegistry registry;
    private final OpenAiHealth openAi;
    private final RealtimeConnector connector;
    private final RestaurantBackend backend;

    public HealthController(ServeConfig config, CallRegistry registry, OpenAiHealth openAi, RealtimeConnector connector,
                            RestaurantBackend backend) {
        this.config = config;
        this.registry = registry;
        this.openAi = openAi;
        this.connector = connector;
        this.backend = backend;
    }

    @Get("/health")
    public HttpResponse<String> health() throws com.fasterxml.jackson.core.JsonProcessingException {
        BackendHealth b = backend.health();
        boolean defaultKnown = b.defaultRestaurant() != null && b.restaurants().contains(b.defaultRestaurant());
        String status = registry.draining() ? "draining"
                : b.databaseDown() ? "unavailable"
                : Boolean.FALSE.equals(openAi.lastSessionOk()) || !b.ok() || !defaultKnown ? "degraded"
                : "ok";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("version", Version.current());
        body.put("uptimeSec", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        body.put("draining", registry.draining());
        body.put("activeCalls", registry.activeCalls());
        body.put("maxParallelCalls", registry.maxParallelCalls());
        body.put("agent", "generic");
        Map<String, Object> backendBody = new LinkedHashMap<>();
        backendBody.put("kind", b.kind());
        backendBody.put("ok", b.ok());
        backendBody.put("database", b.database());
        backendBody.put("restaurants", b.restaurants());
        backendBody.put("defaultRestaurant", b.defaultRestaurant());
        body.put("backend", backendBody);
        Map<String, Object> openai = new LinkedHashMap<>();
        openai.put("url", config.openaiRealtimeUrl().toString());
        openai.put("model", config.model());
        openai.put("lastSessionOk", openAi.lastSessionOk());
        openai.put("lastError", openAi.lastError());
        body.put("openai", openai);
        Map<String, Object> streamAuth = new LinkedHashMap<>();
        streamAuth.put("twilioSignature", config.twilioAuthToken().isSet());
        streamAuth.put("mediaStreamSecret", config.mediaStreamSecret().isSet());
        streamAuth.put("loopbackOnly", !config.streamKeyConfigured());
        body.put("streamAuth", streamAuth);
        body.put("twilioRest", config.twilioAccountSid().isPresent() && config.twilioAuthToken().isSet());
        // Written by hand so that unknown values stay visible as null (the spec's shape).
        boolean unavailable = status.equals("draining") || status.equals("unavailable");
        return HttpResponse.<String>status(unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(JSON.writeValueAsString(body));
    }
}
