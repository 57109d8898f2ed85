package io.voiceorder.app.restaurant.http;

import java.time.Duration;
import java.util.List;

/**
 * Timeouts and retry delays of the back-office adapter (serve.md §7.3). Tests shorten them.
 *
 * @param request        every request without its own timeout (10 s)
 * @param blockedCheck   {@code GET /api/blocked-phones/check} (5 s)
 * @param pricing        {@code GET /api/ai-pricing} (5 s)
 * @param finalizeDelays waits between the attempts of the call record's finalize (1 s, then 2 s)
 * @param pricingTtl     how long {@code /api/ai-pricing} is reused (24 h)
 */
public record HttpBackendTimings(Duration request, Duration blockedCheck, Duration pricing,
                                 List<Duration> finalizeDelays, Duration pricingTtl) {

    public HttpBackendTimings {
        finalizeDelays = List.copyOf(finalizeDelays);
    }

    public static HttpBackendTimings standard() {
        return new HttpBackendTimings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5),
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofHours(24));
    }
}
