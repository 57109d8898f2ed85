package io.voiceorder.app.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's cost accounting and session lifetime: {@code OPENAI_PRICES}, {@code COST_CURRENCY},
 * {@code COST_EXCHANGE_RATE}, {@code AI_COST_MARGIN_PCT}, {@code TELECOM_COST_PER_MIN},
 * {@code OPENAI_SESSION_ROLLOVER_S}.
 *
 * @param prices USD per million tokens by kind ({@code text_in}, {@code text_in_cached}, {@code text_out},
 *               {@code audio_in}, {@code audio_in_cached}, {@code audio_out})
 */
public record AgentSettings(
        Map<String, BigDecimal> prices,
        String costCurrency,
        BigDecimal exchangeRate,
        BigDecimal aiMarginPct,
        BigDecimal telecomCostPerMin,
        int sessionRolloverSec) {

    public static final List<String> PRICE_KEYS =
            List.of("text_in", "text_in_cached", "text_out", "audio_in", "audio_in_cached", "audio_out");
    static final String DEFAULT_PRICES = "text_in=4,text_in_cached=0.4,text_out=16,audio_in=32,audio_in_cached=0.4,audio_out=64";

    public AgentSettings {
        prices = Map.copyOf(prices);
    }

    public static AgentSettings defaults() {
        return parse(Map.of());
    }

    /** Parses the variables; a malformed value is a {@link ConfigException} naming it. */
    public static AgentSettings parse(Map<String, String> vars) {
        String rawPrices = text(vars, "OPENAI_PRICES", DEFAULT_PRICES);
        String currency = text(vars, "COST_CURRENCY", text(vars, "NEXT_PUBLIC_BILLING_CURRENCY", "USD"));
        if (!currency.matches("[A-Za-z]{3}")) {
            throw invalid("COST_CURRENCY", "a three-letter currency code", currency);
        }
        return new AgentSettings(
                prices(rawPrices),
                currency.toUpperCase(java.util.Locale.ROOT),
                decimal(vars, "COST_EXCHANGE_RATE", "1", "a number > 0", true),
                decimal(vars, "AI_COST_MARGIN_PCT", "0", "a number >= 0", false),
                decimal(vars, "TELECOM_COST_PER_MIN", "0.008", "a number >= 0", false),
                rollover(vars));
    }

    private static Map<String, BigDecimal> prices(String raw) {
        Map<String, BigDecimal> result = new LinkedHashMap<>();
        for (String pair : raw.split(",")) {
            String[] kv = pair.split("=", 2);
            String key = kv[0].trim();
            if (kv.length != 2 || !PRICE_KEYS.contains(key) || result.containsKey(key)) {
                throw invalid("OPENAI_PRICES", "the six keys " + String.join(", ", PRICE_KEYS) + " as key=USD per million tokens", raw);
            }
            try {
                BigDecimal v = new BigDecimal(kv[1].trim());
                if (v.signum() < 0) {
                    throw invalid("OPENAI_PRICES", "non-negative prices", raw);
                }
                result.put(key, v);
            } catch (NumberFormatException e) {
                throw invalid("OPENAI_PRICES", "the six keys " + String.join(", ", PRICE_KEYS) + " as key=USD per million tokens", raw);
            }
        }
        if (result.size() != PRICE_KEYS.size()) {
            throw invalid("OPENAI_PRICES", "the six keys " + String.join(", ", PRICE_KEYS) + " as key=USD per million tokens", raw);
        }
        return result;
    }

    private static int rollover(Map<String, String> vars) {
        String v = text(vars, "OPENAI_SESSION_ROLLOVER_S", "3300");
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > 3590) {
                throw invalid("OPENAI_SESSION_ROLLOVER_S", "a whole number of seconds between 1 and 3590", v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid("OPENAI_SESSION_ROLLOVER_S", "a whole number of seconds between 1 and 3590", v);
        }
    }

    private static BigDecimal decimal(Map<String, String> vars, String name, String def, String rule, boolean strictlyPositive) {
        String v = text(vars, name, def);
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.signum() < 0 || (strictlyPositive && d.signum() == 0)) {
                throw invalid(name, rule, v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw invalid(name, rule, v);
        }
    }

    private static String text(Map<String, String> vars, String name, String def) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static ConfigException invalid(String name, String rule, String got) {
        return new ConfigException(name + " must be " + rule + " (got \"" + got + "\").");
    }
}
