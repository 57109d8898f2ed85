package io.voiceorder.bridge.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.voiceorder.bridge.metrics.BridgeMetrics;

/** {@code GET /metrics}: Prometheus text (bridge.md §10.2); behind the bearer token when one is set. */
@Controller
public final class MetricsController {
    private static final MediaType PROMETHEUS_TEXT = MediaType.of("text/plain; version=0.0.4; charset=utf-8");

    private final BridgeMetrics metrics;

    public MetricsController(BridgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Get("/metrics")
    public HttpResponse<String> scrape() {
        return HttpResponse.ok(metrics.scrape()).contentType(PROMETHEUS_TEXT);
    }
}
