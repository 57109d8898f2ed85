package io.voiceorder.app.restaurant;

import java.math.BigDecimal;

/**
 * Token prices in USD per million tokens for one model (§5.8).
 *
 * @param cachedLikeUncached true with the http back office's rates: cached tokens are priced like uncached ones
 * @param telecomCostPerMin  telecom rate from the back office, or null to use {@code TELECOM_COST_PER_MIN}
 * @param baseCurrency       currency of the rates from the back office, or null (USD)
 */
public record TokenPricing(BigDecimal textIn, BigDecimal textInCached, BigDecimal textOut, BigDecimal audioIn,
                           BigDecimal audioInCached, BigDecimal audioOut, boolean cachedLikeUncached,
                           BigDecimal telecomCostPerMin, String baseCurrency) {

    /** The default of {@code OPENAI_PRICES}. */
    public static TokenPricing defaults() {
        return new TokenPricing(new BigDecimal("4"), new BigDecimal("0.4"), new BigDecimal("16"),
                new BigDecimal("32"), new BigDecimal("0.4"), new BigDecimal("64"), false, null, null);
    }
}
