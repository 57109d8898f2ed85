package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.config.AgentSettings;
import io.voiceorder.app.restaurant.TokenPricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Token counters of one call, summed from each {@code response.done} (§5.8), and the AI cost they
 * add up to in USD before margin and exchange rate.
 */
final class CallUsage {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final TokenPricing prices;
    private long inputTokens;
    private long outputTokens;
    private long inputAudioTokens;
    private long outputAudioTokens;
    private long cachedInputTokens;
    private BigDecimal usd = BigDecimal.ZERO;

    CallUsage(TokenPricing prices) {
        this.prices = prices;
    }

    /** {@code OPENAI_PRICES} as token prices. */
    static TokenPricing configured(AgentSettings settings) {
        var p = settings.prices();
        return new TokenPricing(p.get("text_in"), p.get("text_in_cached"), p.get("text_out"), p.get("audio_in"),
                p.get("audio_in_cached"), p.get("audio_out"), false, null, null);
    }

    /** Adds one response's usage; returns its cost in USD. */
    BigDecimal add(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return BigDecimal.ZERO;
        }
        JsonNode in = usage.path("input_token_details");
        JsonNode cached = in.path("cached_tokens_details");
        JsonNode out = usage.path("output_token_details");
        long textIn = in.path("text_tokens").asLong();
        long audioIn = in.path("audio_tokens").asLong();
        long cachedText = Math.min(textIn, cached.path("text_tokens").asLong());
        long cachedAudio = Math.min(audioIn, cached.path("audio_tokens").asLong());
        long textOut = out.path("text_tokens").asLong();
        long audioOut = out.path("audio_tokens").asLong();
        inputTokens += usage.path("input_tokens").asLong(textIn + audioIn);
        outputTokens += usage.path("output_tokens").asLong(textOut + audioOut);
        inputAudioTokens += audioIn;
        outputAudioTokens += audioOut;
        cachedInputTokens += cachedText + cachedAudio;
        BigDecimal textCachedRate = prices.cachedLikeUncached() ? prices.textIn() : prices.textInCached();
        BigDecimal audioCachedRate = prices.cachedLikeUncached() ? prices.audioIn() : prices.audioInCached();
        BigDecimal cost = prices.textIn().multiply(BigDecimal.valueOf(textIn - cachedText))
                .add(textCachedRate.multiply(BigDecimal.valueOf(cachedText)))
                .add(prices.audioIn().multiply(BigDecimal.valueOf(audioIn - cachedAudio)))
                .add(audioCachedRate.multiply(BigDecimal.valueOf(cachedAudio)))
                .add(prices.textOut().multiply(BigDecimal.valueOf(textOut)))
                .add(prices.audioOut().multiply(BigDecimal.valueOf(audioOut)))
                .divide(MILLION, 10, RoundingMode.HALF_UP);
        usd = usd.add(cost);
        return cost;
    }

    long inputTokens() {
        return inputTokens;
    }

    long outputTokens() {
        return outputTokens;
    }

    long inputAudioTokens() {
        return inputAudioTokens;
    }

    long outputAudioTokens() {
        return outputAudioTokens;
    }

    long cachedInputTokens() {
        return cachedInputTokens;
    }

    BigDecimal usd() {
        return usd;
    }

    TokenPricing prices() {
        return prices;
    }
}
