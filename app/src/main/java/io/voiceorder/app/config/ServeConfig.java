package io.voiceorder.app.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code voiceorder serve} is configured with, validated once at start-up.
 * Built from variables named as in the original service ({@code OPENAI_API_KEY}, {@code PORT}, …),
 * whichever way they arrived (flag, environment, {@code .env}); an invalid value is a
 * {@link ConfigException} whose message names the variable, its flag and the fix.
 */
public record ServeConfig(
        Secret openaiApiKey,
        URI openaiRealtimeUrl,
        String model,
        String voice,
        String transcriptionModel,
        int port,
        Optional<URI> publicUrl,
        Optional<String> restaurantId,
        int maxParallelCalls,
        int maxCallDurationSec,
        double vadThreshold,
        int vadSilenceMs,
        int vadPrefixPaddingMs,
        Secret twilioAuthToken,
        Optional<String> twilioAccountSid,
        Secret mediaStreamSecret,
        BackendSettings backend,
        URI twilioApiUrl,
        Optional<String> twilioPhoneNumber,
        URI bridgeUrl,
        Secret bridgeApiToken,
        Optional<String> sipDomain,
        URI nextApiUrl,
        Secret nextApiToken,
        AgentSettings agent) {

    public static final String DEFAULT_REALTIME_URL = "wss://api.openai.com/v1/realtime";
    public static final String DEFAULT_TWILIO_API_URL = "https://api.twilio.com";
    public static final String DEFAULT_NEXT_API_URL = "http://localhost:3000";
    public static final List<String> VOICES =
            List.of("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar");

    /**
     * Parses the variables. Missing or empty values take their defaults.
     *
     * @param vars variable name → raw value, e.g. {@code "PORT" → "5050"}
     */
    public static ServeConfig parse(Map<String, String> vars) {
        Reader r = new Reader(vars);
        Secret apiKey = Secret.of(r.raw("OPENAI_API_KEY"));
        if (!apiKey.isSet()) {
            throw new ConfigException("OPENAI_API_KEY is not set (flag --openai-api-key). Put it in .env or the environment.");
        }
        Secret twilioToken = Secret.of(r.raw("TWILIO_AUTH_TOKEN"));
        Optional<String> accountSid = Optional.ofNullable(r.raw("TWILIO_ACCOUNT_SID"));
        if (accountSid.isPresent() && !twilioToken.isSet()) {
            throw new ConfigException("TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not (flag --twilio-auth-token). Set both or neither.");
        }
        String voice = r.text("OPENAI_VOICE", "sage").toLowerCase(Locale.ROOT);
        if (!VOICES.contains(voice)) {
            throw r.invalid("OPENAI_VOICE", "one of " + String.join(", ", VOICES), voice);
        }
        return new ServeConfig(
                apiKey,
                r.url("OPENAI_REALTIME_URL", DEFAULT_REALTIME_URL, List.of("ws", "wss"), "an absolute ws:// or wss:// URL"),
                r.text("OPENAI_REALTIME_MODEL", "gpt-realtime"),
                voice,
                r.text("OPENAI_TRANSCRIPTION_MODEL", "gpt-4o-mini-transcribe"),
                r.integer("PORT", 5050, 1, 65535, "a port number between 1 and 65535"),
                r.optionalUrl("PUBLIC_URL", List.of("http", "https"), "an absolute http(s) URL without query"),
                Optional.ofNullable(r.raw("RESTAURANT_ID")),
                r.integer("MAX_PARALLEL_CALLS", 10, 0, 100_000, "a whole number >= 0 (0 = unlimited)"),
                r.integer("MAX_CALL_DURATION", 600, Integer.MIN_VALUE, 86_400, "a whole number of seconds (<= 0 turns the limit off)"),
                r.decimal("VAD_THRESHOLD", 0.5, 0, 1, "a number between 0 and 1"),
                r.integer("VAD_SILENCE_MS", 500, 0, 10_000, "a whole number of milliseconds between 0 and 10000"),
                r.integer("VAD_PREFIX_PADDING_MS", 300, 0, 10_000, "a whole number of milliseconds between 0 and 10000"),
                twilioToken,
                accountSid,
                Secret.of(r.raw("MEDIA_STREAM_SECRET")),
                BackendSettings.parse(vars),
                r.url("TWILIO_API_URL", DEFAULT_TWILIO_API_URL, List.of("http", "https"), "an absolute http(s) URL"),
                Optional.ofNullable(r.raw("TWILIO_PHONE_NUMBER")),
                r.url("BRIDGE_URL", "http://127.0.0.1:" + r.integer("BRIDGE_PORT", 5060, 1, 65535,
                        "a port number between 1 and 65535"), List.of("http", "https"), "an absolute http(s) URL"),
                Secret.of(r.raw("BRIDGE_API_TOKEN")),
                Optional.ofNullable(r.raw("SIP_DOMAIN")),
                r.url("NEXT_API_URL", DEFAULT_NEXT_API_URL, List.of("http", "https"), "an absolute http(s) URL"),
                Secret.of(r.raw("NEXT_API_TOKEN")),
                AgentSettings.parse(vars));
    }

    /** True when the Twilio REST API can be used: transfers and outbound calls in Twilio mode. */
    public boolean twilioRestConfigured() {
        return twilioAccountSid.isPresent() && twilioAuthToken.isSet();
    }

    /** True when at least one stream-upgrade key is configured; otherwise only loopback may stream. */
    public boolean streamKeyConfigured() {
        return twilioAuthToken.isSet() || mediaStreamSecret.isSet();
    }

    /** The flag that carries a variable: {@code MAX_CALL_DURATION} → {@code --max-call-duration}. */
    public static String flagOf(String variable) {
        return switch (variable) {
            case "OPENAI_REALTIME_MODEL" -> "--model";
            case "OPENAI_VOICE" -> "--voice";
            case "VOICEORDER_BACKEND" -> "--backend";
            default -> "--" + variable.toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    private record Reader(Map<String, String> vars) {
        String raw(String name) {
            String v = vars.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String text(String name, String def) {
            String v = raw(name);
            return v == null ? def : v;
        }

        ConfigException invalid(String name, String rule, String got) {
            return new ConfigException(name + " must be " + rule + " (got \"" + got + "\").");
        }

        int integer(String name, int def, int min, int max, String rule) {
            String v = raw(name);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw invalid(name, rule, v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw invalid(name, rule, v);
            }
        }

        double decimal(String name, double def, double min, double max, String rule) {
            String v = raw(name);
            if (v == null) {
                return def;
            }
            try {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || d < min || d > max) {
                    throw invalid(name, rule, v);
                }
                return d;
            } catch (NumberFormatException e) {
                throw invalid(name, rule, v);
            }
        }

        URI url(String name, String def, List<String> schemes, String rule) {
            return optionalUrl(name, schemes, rule).orElseGet(() -> URI.create(def));
        }

        Optional<URI> optionalUrl(String name, List<String> schemes, String rule) {
            String v = raw(name);
            if (v == null) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(v);
                boolean ok = uri.isAbsolute()
                        && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                        && uri.getHost() != null
                        && uri.getRawFragment() == null
                        && (uri.getRawQuery() == null || name.equals("OPENAI_REALTIME_URL"));
                if (!ok) {
                    throw invalid(name, rule, v);
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                throw invalid(name, rule, v);
            }
        }
    }
}
