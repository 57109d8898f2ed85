package io.voiceorder.bridge.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.voiceorder.bridge.config.BridgeConfig;

/**
 * Bearer token on {@code /api/*} and {@code /metrics} when {@code --api-token} is set (constant-time compare),
 * else 401 with {@code WWW-Authenticate: Bearer}. Without a token the API listens on loopback only and checks
 * nothing. While shutting down every route answers 503.
 */
@ServerFilter("/**")
public final class ApiAuthFilter {
    private final BridgeConfig config;
    private final HealthSource health;

    public ApiAuthFilter(BridgeConfig config, HealthSource health) {
        this.config = config;
        this.health = health;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        String path = request.getPath();
        if (health.shuttingDown() && !path.equals("/health")) {
            return ApiErrors.reply(HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "The bridge is shutting down.");
        }
        boolean protectedPath = path.startsWith("/api/") || path.equals("/api") || path.equals("/metrics");
        if (!protectedPath || !config.apiToken().isSet()) {
            return null;
        }
        String header = request.getHeaders().get("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (config.apiToken().matches(token)) {
            return null;
        }
        return ApiErrors.reply(HttpStatus.UNAUTHORIZED, "unauthorized",
                        token == null ? "An Authorization: Bearer <BRIDGE_API_TOKEN> header is required."
                                : "The bearer token is not the bridge's BRIDGE_API_TOKEN.")
                .header("WWW-Authenticate", "Bearer");
    }
}
