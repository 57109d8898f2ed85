package io.voiceorder.app.agent;

import io.voiceorder.app.config.AgentSettings;
import io.voiceorder.app.restaurant.AgentConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a call's costs are counted (§5.8): the margin, exchange rate and currency are the back office's
 * when it gave them (http), else serve's configuration.
 */
record CallCosting(BigDecimal marginPct, BigDecimal exchangeRate, String currency, BigDecimal telecomPerMinUsd) {
    private static final BigDecimal GOOGLE_CALL_USD = new BigDecimal("0.005");

    /** The three costs of a call record, in {@link #currency}, 4 decimals. */
    record Costs(BigDecimal ai, BigDecimal telecom, BigDecimal google) {
    }

    static CallCosting of(AgentSettings settings, AgentConfig agent, CallUsage usage) {
        AgentConfig.CostSettings cs = agent != null ? agent.costs() : null;
        BigDecimal telecom = usage != null && usage.prices().telecomCostPerMin() != null
                ? usage.prices().telecomCostPerMin() : settings.telecomCostPerMin();
        return new CallCosting(
                cs != null && cs.marginPct() != null ? cs.marginPct() : settings.aiMarginPct(),
                cs != null && cs.exchangeRate() != null ? cs.exchangeRate() : settings.exchangeRate(),
                cs != null && cs.currency() != null ? cs.currency() : settings.costCurrency(),
                telecom);
    }

    /** USD of tokens → the AI cost with margin, in the cost currency (unrounded). */
    BigDecimal aiFromUsd(BigDecimal usd) {
        return usd.multiply(BigDecimal.ONE.add(marginPct.movePointLeft(2))).multiply(exchangeRate);
    }

    /** Telecom is paid per minute in Twilio mode only; the back office's geocoding at 0.005 USD a call. */
    Costs costs(BigDecimal aiUsd, boolean twilio, long durationSec, int googleApiCalls) {
        BigDecimal telecom = twilio
                ? BigDecimal.valueOf(durationSec).multiply(telecomPerMinUsd).multiply(exchangeRate)
                        .divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP)
                : BigDecimal.ZERO;
        return new Costs(aiFromUsd(aiUsd).setScale(4, RoundingMode.HALF_UP), telecom.setScale(4, RoundingMode.HALF_UP),
                GOOGLE_CALL_USD.multiply(BigDecimal.valueOf(googleApiCalls)).multiply(exchangeRate)
                        .setScale(4, RoundingMode.HALF_UP));
    }
}
