package io.voiceorder.cli;

import io.voiceorder.app.VoiceServer;
import io.voiceorder.app.config.BackendSettings;
import io.voiceorder.app.config.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code voiceorder serve}: one option per serve.md variable, each defaulting to {@code ${env:NAME}}
 * (environment, then {@code .env}, then the built-in default). Values stay strings so that
 * {@link ServeConfig#parse} alone validates them and words its errors.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = VoiceOrderCommand.HELP_WIDTH,
        description = {
            "Starts the voice proxy: Twilio webhook, media stream and /health on PORT.",
            "Runs until CTRL+C or SIGTERM, then drains: no new calls, live calls get up to 10 s to finish."},
        footer = {
            "",
            "Each option defaults to the environment variable named below it.",
            "Precedence: flag > environment variable > .env in the working directory > built-in default.",
            "Keep secrets (OPENAI_API_KEY, TWILIO_AUTH_TOKEN, MEDIA_STREAM_SECRET) in the environment or .env: "
                    + "values given as flags are visible to every user of the machine in 'ps'."})
final class ServeCommand implements Callable<Integer> {
    static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

    // picocli fills these fields from the flags; variables() reads them back through the spec, keyed by each ${env:NAME}.
    @Option(names = "--openai-api-key", paramLabel = "KEY", defaultValue = "${env:OPENAI_API_KEY}",
            description = {"OpenAI API key, required.", "(from OPENAI_API_KEY; prefer .env or the environment)"})
    String openaiApiKey;

    @Option(names = "--openai-realtime-url", paramLabel = "URL",
            defaultValue = "${env:OPENAI_REALTIME_URL:-" + ServeConfig.DEFAULT_REALTIME_URL + "}",
            description = {"OpenAI Realtime endpoint, ws:// or wss://.", "(OPENAI_REALTIME_URL, default: ${DEFAULT-VALUE})"})
    String openaiRealtimeUrl;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "${env:OPENAI_REALTIME_MODEL:-gpt-realtime}",
            description = {"OpenAI Realtime model.", "(OPENAI_REALTIME_MODEL, default: ${DEFAULT-VALUE})"})
    String model;

    @Option(names = "--voice", paramLabel = "VOICE", defaultValue = "${env:OPENAI_VOICE:-sage}",
            description = {"Voice when the restaurant names none: alloy, ash, ballad, coral, echo, sage, shimmer, "
                    + "verse, marin or cedar.", "(OPENAI_VOICE, default: ${DEFAULT-VALUE})"})
    String voice;

    @Option(names = "--openai-transcription-model", paramLabel = "MODEL",
            defaultValue = "${env:OPENAI_TRANSCRIPTION_MODEL:-gpt-4o-mini-transcribe}",
            description = {"Transcription of the caller: gpt-4o-mini-transcribe, gpt-4o-transcribe or whisper-1.",
                "(OPENAI_TRANSCRIPTION_MODEL, default: ${DEFAULT-VALUE})"})
    String transcriptionModel;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:PORT:-5050}",
            description = {"HTTP and WebSocket port, bound on 0.0.0.0.", "(PORT, default: ${DEFAULT-VALUE})"})
    String port;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:PUBLIC_URL}",
            description = {"Public base URL for TwiML and signature checks; unset: https:// and the request's Host.",
                "(PUBLIC_URL, unset by default; for example https://voice.example.com)"})
    String publicUrl;

    @Option(names = "--restaurant-id", paramLabel = "ID", defaultValue = "${env:RESTAURANT_ID}",
            description = {"Restaurant used when a stream names none; written into TwiML.", "(RESTAURANT_ID, unset by default)"})
    String restaurantId;

    @Option(names = "--backend", paramLabel = "KIND", defaultValue = "${env:VOICEORDER_BACKEND}",
            description = {"Restaurant backend: embedded (restaurant file + database) or http (the back office at NEXT_API_URL).",
                "(VOICEORDER_BACKEND, default: embedded; http when NEXT_API_URL is set)"})
    String backend;

    @Option(names = "--restaurant-file", paramLabel = "PATH", defaultValue = "${env:RESTAURANT_FILE}",
            description = {"Restaurant file (YAML or JSON) or a directory of them, for the embedded backend.",
                "(RESTAURANT_FILE, default: ./restaurant.yaml if present, else the bundled sample)"})
    String restaurantFile;

    @Option(names = "--database-url", paramLabel = "URL",
            defaultValue = "${env:DATABASE_URL:-" + BackendSettings.DEFAULT_DATABASE_URL + "}",
            description = {"Embedded backend's database: jdbc:h2:…, jdbc:postgresql://… or postgres://user:password@host:port/db.",
                "(DATABASE_URL, default: ${DEFAULT-VALUE})"})
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", defaultValue = "${env:DATABASE_USER}",
            description = {"Database user when not in DATABASE_URL.", "(DATABASE_USER, unset by default)"})
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "PASSWORD", defaultValue = "${env:DATABASE_PASSWORD}",
            description = {"Database password when not in DATABASE_URL.", "(from DATABASE_PASSWORD; prefer .env or the environment)"})
    String databasePassword;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:ADMIN_TOKEN}",
            description = {"Bearer token of the read-only views /api/orders and /api/calls; unset: this machine only.",
                "(from ADMIN_TOKEN; prefer .env or the environment)"})
    String adminToken;

    @Option(names = "--max-parallel-calls", paramLabel = "N", defaultValue = "${env:MAX_PARALLEL_CALLS:-10}",
            description = {"Calls served at once, 0 = unlimited.", "(MAX_PARALLEL_CALLS, default: ${DEFAULT-VALUE})"})
    String maxParallelCalls;

    @Option(names = "--max-call-duration", paramLabel = "SECONDS", defaultValue = "${env:MAX_CALL_DURATION:-600}",
            description = {"Longest call in seconds, <= 0 = no limit.", "(MAX_CALL_DURATION, default: ${DEFAULT-VALUE})"})
    String maxCallDuration;

    @Option(names = "--vad-threshold", paramLabel = "0..1", defaultValue = "${env:VAD_THRESHOLD:-0.5}",
            description = {"Voice activity threshold, 0 very sensitive, 1 deaf.", "(VAD_THRESHOLD, default: ${DEFAULT-VALUE})"})
    String vadThreshold;

    @Option(names = "--vad-silence-ms", paramLabel = "MS", defaultValue = "${env:VAD_SILENCE_MS:-500}",
            description = {"Silence that ends the caller's turn.", "(VAD_SILENCE_MS, default: ${DEFAULT-VALUE})"})
    String vadSilenceMs;

    @Option(names = "--vad-prefix-padding-ms", paramLabel = "MS", defaultValue = "${env:VAD_PREFIX_PADDING_MS:-300}",
            description = {"Audio kept before detected speech.", "(VAD_PREFIX_PADDING_MS, default: ${DEFAULT-VALUE})"})
    String vadPrefixPaddingMs;

    @Option(names = "--twilio-auth-token", paramLabel = "TOKEN", defaultValue = "${env:TWILIO_AUTH_TOKEN}",
            description = {"Checks X-Twilio-Signature on the webhook and the stream upgrade; Twilio REST password.",
                "(from TWILIO_AUTH_TOKEN; prefer .env or the environment)"})
    String twilioAuthToken;

    @Option(names = "--twilio-account-sid", paramLabel = "SID", defaultValue = "${env:TWILIO_ACCOUNT_SID}",
            description = {"Twilio REST account, for transfers; needs the auth token.", "(TWILIO_ACCOUNT_SID, unset by default)"})
    String twilioAccountSid;

    @Option(names = "--media-stream-secret", paramLabel = "SECRET", defaultValue = "${env:MEDIA_STREAM_SECRET}",
            description = {"Key the SIP bridge signs its stream upgrade with.", "(from MEDIA_STREAM_SECRET; prefer .env or the environment)"})
    String mediaStreamSecret;

    @Option(names = "--next-api-url", paramLabel = "URL", defaultValue = "${env:NEXT_API_URL}",
            description = {"Base URL of the restaurant back office (http backend).",
                "(NEXT_API_URL, default: " + ServeConfig.DEFAULT_NEXT_API_URL + ")"})
    String nextApiUrl;

    @Option(names = "--next-api-token", paramLabel = "TOKEN", defaultValue = "${env:NEXT_API_TOKEN}",
            description = {"Bearer token sent to the back office.", "(from NEXT_API_TOKEN; prefer .env or the environment)"})
    String nextApiToken;

    @Option(names = "--twilio-api-url", paramLabel = "URL",
            defaultValue = "${env:TWILIO_API_URL:-" + ServeConfig.DEFAULT_TWILIO_API_URL + "}",
            description = {"Twilio REST base URL (transfers, outbound calls).", "(TWILIO_API_URL, default: ${DEFAULT-VALUE})"})
    String twilioApiUrl;

    @Option(names = "--twilio-phone-number", paramLabel = "NUMBER", defaultValue = "${env:TWILIO_PHONE_NUMBER}",
            description = {"Default caller id of outbound calls through Twilio.", "(TWILIO_PHONE_NUMBER, unset by default)"})
    String twilioPhoneNumber;

    @Option(names = "--bridge-port", paramLabel = "PORT", defaultValue = "${env:BRIDGE_PORT:-5060}",
            description = {"REST port of a bridge on this machine (default of BRIDGE_URL).", "(BRIDGE_PORT, default: ${DEFAULT-VALUE})"})
    String bridgePort;

    @Option(names = "--bridge-url", paramLabel = "URL", defaultValue = "${env:BRIDGE_URL}",
            description = {"Bridge REST API base (transfers in bridge mode).", "(BRIDGE_URL, default: http://127.0.0.1:<BRIDGE_PORT>)"})
    String bridgeUrl;

    @Option(names = "--bridge-api-token", paramLabel = "TOKEN", defaultValue = "${env:BRIDGE_API_TOKEN}",
            description = {"Bearer token of the bridge REST API.", "(from BRIDGE_API_TOKEN; prefer .env or the environment)"})
    String bridgeApiToken;

    @Option(names = "--sip-domain", paramLabel = "HOST", defaultValue = "${env:SIP_DOMAIN}",
            description = {"Set: bridge transfers dial sip:<number>@<SIP_DOMAIN>; unset: the bare number.",
                "(SIP_DOMAIN, unset by default)"})
    String sipDomain;

    @Option(names = "--openai-session-rollover-s", paramLabel = "SECONDS", defaultValue = "${env:OPENAI_SESSION_ROLLOVER_S:-3300}",
            description = {"Session age at which serve replaces the OpenAI session (OpenAI closes them at 60 min).",
                "(OPENAI_SESSION_ROLLOVER_S, default: ${DEFAULT-VALUE})"})
    String openaiSessionRolloverS;

    @Option(names = "--openai-prices", paramLabel = "PRICES",
            defaultValue = "${env:OPENAI_PRICES:-text_in=4,text_in_cached=0.4,text_out=16,audio_in=32,audio_in_cached=0.4,audio_out=64}",
            description = {"USD per million tokens, for the AI cost of call records.", "(OPENAI_PRICES, default: ${DEFAULT-VALUE})"})
    String openaiPrices;

    @Option(names = "--telecom-cost-per-min", paramLabel = "USD", defaultValue = "${env:TELECOM_COST_PER_MIN:-0.008}",
            description = {"Telecom cost per minute of a Twilio call.", "(TELECOM_COST_PER_MIN, default: ${DEFAULT-VALUE})"})
    String telecomCostPerMin;

    @Option(names = "--cost-currency", paramLabel = "CODE", defaultValue = "${env:COST_CURRENCY}",
            description = {"Currency of the costs in call records.", "(COST_CURRENCY, default: NEXT_PUBLIC_BILLING_CURRENCY, else USD)"})
    String costCurrency;

    // Read only as the default of COST_CURRENCY, as the back office names it.
    @Option(names = "--next-public-billing-currency", hidden = true, defaultValue = "${env:NEXT_PUBLIC_BILLING_CURRENCY}")
    String billingCurrency;

    @Option(names = "--cost-exchange-rate", paramLabel = "RATE", defaultValue = "${env:COST_EXCHANGE_RATE:-1}",
            description = {"Multiplier from USD to COST_CURRENCY.", "(COST_EXCHANGE_RATE, default: ${DEFAULT-VALUE})"})
    String costExchangeRate;

    @Option(names = "--ai-cost-margin-pct", paramLabel = "PCT", defaultValue = "${env:AI_COST_MARGIN_PCT:-0}",
            description = {"Margin added to the AI cost, in percent.", "(AI_COST_MARGIN_PCT, default: ${DEFAULT-VALUE})"})
    String aiCostMarginPct;

    /** The one variable the command applies itself (to logging) rather than handing it to serve. */
    static final String LOG_FORMAT = "LOG_FORMAT";

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:LOG_FORMAT:-text}",
            description = {"One line per event, as text or as one JSON object.", "(LOG_FORMAT, default: ${DEFAULT-VALUE})"})
    LogFormat logFormat;

    @Spec
    CommandSpec spec;

    private final VariableDefaults defaults;
    private final StopSignal stopSignal;

    ServeCommand(VariableDefaults defaults, StopSignal stopSignal) {
        this.defaults = defaults;
        this.stopSignal = stopSignal;
    }

    /** Each variable from its flag, else the environment, else .env, else its default: what {@link ServeConfig#parse} gets. */
    Map<String, String> variables() {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> vars = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            VariableDefaults.variableOf(option).filter(v -> !v.equals(LOG_FORMAT)).ifPresent(variable -> vars.put(variable,
                    parsed.hasMatchedOption(option) ? option.getValue() : defaults.resolve(option).orElseThrow()));
        }
        return vars;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServeConfig config = ServeConfig.parse(variables());
        logFormat.apply();
        try (VoiceServer server = VoiceServer.start(config)) {
            stopSignal.await();
            server.drainAndStop(DRAIN_GRACE);
        }
        return 0;
    }
}
