package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.TokenPricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import static io.voiceorder.app.restaurant.http.JsonValues.decimal;
import static io.voiceorder.app.restaurant.http.JsonValues.text;

/**
 * The back office's token rates ({@code GET /api/ai-pricing}, serve.md §7.3 #17), fetched at most once
 * per TTL (24 h). A model is matched by exact name, then by the longest name it starts with. As in the
 * original proxy, cached tokens are priced like uncached ones. Any failure is open: empty, so serve's
 * {@code OPENAI_PRICES} apply; a failed fetch is not cached.
 */
final class AiPricingCache {
    private static final Logger LOG = LoggerFactory.getLogger(AiPricingCache.class);

    private final BackOfficeClient client;
    private final Clock clock;
    private final Duration timeout;
    private final Duration ttl;
    private JsonNode document;
    private Instant fetchedAt;

    AiPricingCache(BackOfficeClient client, Clock clock, Duration timeout, Duration ttl) {
        this.client = client;
        this.clock = clock;
        this.timeout = timeout;
        this.ttl = ttl;
    }

    Optional<TokenPricing> pricing(String model) {
        JsonNode doc = document();
        if (doc == null || model == null) {
            return Optional.empty();
        }
        JsonNode rates = match(doc.path("models"), model);
        if (rates == null) {
            return Optional.empty();
        }
        BigDecimal textIn = decimal(rates, "textInput");
        BigDecimal textOut = decimal(rates, "textOutput");
        BigDecimal audioIn = decimal(rates, "audioInput");
        BigDecimal audioOut = decimal(rates, "audioOutput");
        if (textIn == null || textOut == null || audioIn == null || audioOut == null) {
            LOG.warn("back office pricing for model {} is incomplete: using OPENAI_PRICES", model);
            return Optional.empty();
        }
        return Optional.of(new TokenPricing(textIn, textIn, textOut, audioIn, audioIn, audioOut, true,
                decimal(doc, "telecomCostPerMin"), text(doc, "baseCurrency")));
    }

    private synchronized JsonNode document() {
        Instant now = clock.instant();
        if (document != null && Duration.between(fetchedAt, now).compareTo(ttl) < 0) {
            return document;
        }
        try {
            JsonNode fetched = client.get("/api/ai-pricing", Map.of(), timeout);
            if (!fetched.path("models").isObject()) {
                LOG.warn("back office /api/ai-pricing has no models: using OPENAI_PRICES");
                return document;
            }
            document = fetched;
            fetchedAt = now;
        } catch (BackendException e) {
            LOG.warn("back office pricing unavailable ({}): using {}", e.getMessage(),
                    document == null ? "OPENAI_PRICES" : "the rates fetched before");
        }
        return document;
    }

    private static JsonNode match(JsonNode models, String model) {
        if (models.has(model)) {
            return models.get(model);
        }
        String best = null;
        for (Iterator<String> it = models.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (model.startsWith(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return best == null ? null : models.get(best);
    }
}
