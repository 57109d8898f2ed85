package io.voiceorder.bridge.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Map;

/** {@code GET /health} (bridge.md §3.3): never needs a token, holds no caller data; 503 only while shutting down. */
@Controller
public final class HealthController {
    private final HealthSource source;

    public HealthController(HealthSource source) {
        this.source = source;
    }

    @Get("/health")
    public HttpResponse<Map<String, Object>> health() {
        return HttpResponse.status(source.shuttingDown() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(source.health());
    }
}
