package io.voiceorder.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.config.ConfigException;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import io.voiceorder.app.twilio.DialNumber;
import io.voiceorder.app.twilio.OutboundCallException;
import io.voiceorder.app.twilio.OutboundCallRequest;
import io.voiceorder.app.twilio.OutboundCallStatus;
import io.voiceorder.app.twilio.TwilioOutbound;
import io.voiceorder.app.twilio.TwilioRestClient;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Twilio path of {@code voiceorder call} (serve.md §8.5): checks the settings Twilio needs, places
 * the call with TwiML that connects its stream to serve, and optionally follows it until it ends.
 * Credentials come from the environment or {@code .env} only and are never printed.
 */
final class TwilioCall {
    static final String ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    static final String AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    /** Twilio rate-limits its REST API; once a second is plenty to show each status change. */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** Following stops after the ring time plus the longest call serve allows plus this margin. */
    private static final Duration FOLLOW_MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VariableDefaults defaults;
    private final PrintWriter out;

    TwilioCall(VariableDefaults defaults, PrintWriter out) {
        this.defaults = defaults;
        this.out = out;
    }

    /** True when both credentials are set, which is what {@code --via auto} asks before choosing Twilio. */
    static boolean configured(VariableDefaults defaults) {
        return defaults.variable(ACCOUNT_SID) != null && defaults.variable(AUTH_TOKEN) != null;
    }

    /** The Twilio variables that are not set, named for an error sentence. */
    static String missingCredentials(VariableDefaults defaults) {
        List<String> missing = new ArrayList<>();
        if (defaults.variable(ACCOUNT_SID) == null) {
            missing.add(ACCOUNT_SID);
        }
        if (defaults.variable(AUTH_TOKEN) == null) {
            missing.add(AUTH_TOKEN);
        }
        return String.join(" and ", missing);
    }

    /**
     * Places the call; with {@code follow}, prints each status change and returns the exit status
     * (0 completed, 1 busy/no-answer/failed/canceled). Refusals are {@link ConfigException}s naming what to fix.
     */
    int run(String to, String from, Map<String, String> params, int ringTimeoutSec, String publicUrl, String callbackUrl,
            boolean follow, boolean json) throws InterruptedException {
        if (!configured(defaults)) {
            throw new ConfigException("Twilio outbound calls need " + ACCOUNT_SID + " and " + AUTH_TOKEN + "; "
                    + missingCredentials(defaults) + (missingCredentials(defaults).contains(" and ") ? " are" : " is")
                    + " not set. Put them in .env or the environment.");
        }
        if (!DialNumber.isValid(to)) {
            throw new ConfigException("a Twilio call needs TO in E.164 form, + and digits such as +33612345678 (got \"" + to + "\").");
        }
        String callerId = firstSet(from, defaults.variable("TWILIO_PHONE_NUMBER"));
        if (callerId == null) {
            throw new ConfigException("no caller id for the Twilio call: give --from or set TWILIO_PHONE_NUMBER "
                    + "(a number of the Twilio account).");
        }
        if (publicUrl == null || publicUrl.isBlank()) {
            throw new ConfigException("Twilio must reach serve to connect the call: give --public-url or set PUBLIC_URL "
                    + "(serve's public https:// address, e.g. https://voice.example.com).");
        }
        if (!publicUrl.strip().matches("(?i)https?://[^/\\s]+.*")) {
            throw new ConfigException("PUBLIC_URL (flag --public-url) must be an https:// URL such as https://voice.example.com "
                    + "(got \"" + publicUrl + "\").");
        }
        TwilioOutbound twilio = outbound(callerId);
        OutboundCallRequest request = new OutboundCallRequest(to, callerId, publicUrl.strip(), params, ringTimeoutSec,
                callbackUrl == null || callbackUrl.isBlank() ? null : callbackUrl.strip());
        try {
            OutboundCallStatus placed = twilio.place(request);
            if (!follow) {
                out.println(json ? describe(placed, to, callerId) : placed.sid());
                return 0;
            }
            if (!json) {
                out.println(placed.sid());
                show(placed);
            }
            Duration maxWait = Duration.ofSeconds(ringTimeoutSec).plus(longestCall()).plus(FOLLOW_MARGIN);
            OutboundCallStatus last = twilio.follow(placed.sid(), POLL, maxWait, json ? s -> { } : this::show);
            if (json) {
                out.println(describe(last, to, callerId));
            } else {
                out.println();
            }
            if (!last.isFinal()) {
                throw new CallCommand.CallFailedException("stopped following call " + last.sid() + " after "
                        + maxWait.toSeconds() + " s: Twilio still reports it " + last.status() + ".");
            }
            return last.completedNormally() ? 0 : VoiceOrderCommand.RUNTIME_FAILURE;
        } catch (OutboundCallException e) {
            if (e.isRefusal()) {
                throw new ConfigException(e.getMessage());
            }
            throw new CallCommand.CallFailedException(e.getMessage());
        }
    }

    private TwilioOutbound outbound(String callerId) {
        String api = firstSet(defaults.variable("TWILIO_API_URL"), ServeConfig.DEFAULT_TWILIO_API_URL);
        URI base;
        try {
            base = URI.create(api);
            if (base.getScheme() == null || !base.getScheme().matches("(?i)https?") || base.getHost() == null) {
                throw new IllegalArgumentException(api);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("TWILIO_API_URL must be an http(s) URL such as " + ServeConfig.DEFAULT_TWILIO_API_URL
                    + " (got \"" + api + "\").");
        }
        TwilioRestClient rest = new TwilioRestClient(OutboundHttpFactory.create(), JSON, base,
                Optional.of(defaults.variable(ACCOUNT_SID)), Secret.of(defaults.variable(AUTH_TOKEN)), TwilioRestClient.DEFAULT_TIMEOUT);
        return new TwilioOutbound(rest, Optional.of(callerId));
    }

    /** serve ends any call after MAX_CALL_DURATION (600 s by default; 0 or less: no limit, then an hour is assumed). */
    private Duration longestCall() {
        String value = defaults.variable("MAX_CALL_DURATION");
        try {
            long seconds = value == null ? 600 : Long.parseLong(value.strip());
            return Duration.ofSeconds(seconds > 0 ? seconds : 3600);
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(600);
        }
    }

    /** One live line: Twilio's status ({@code in-progress} shown as answered) and the duration once known. */
    private void show(OutboundCallStatus status) {
        String name = status.status().equals("in-progress") ? "answered" : status.status();
        Integer duration = status.durationSec();
        out.print("\r" + name + (duration != null && duration > 0 ? " (" + duration + " s)" : "") + "   ");
        out.flush();
    }

    private static String describe(OutboundCallStatus status, String to, String from) {
        ObjectNode call = JSON.createObjectNode()
                .put("sid", status.sid()).put("via", "twilio").put("to", to).put("from", from).put("status", status.status());
        if (status.durationSec() != null) {
            call.put("durationSec", status.durationSec());
        } else {
            call.putNull("durationSec");
        }
        return call.toString();
    }

    private static String firstSet(String a, String b) {
        return a != null && !a.isBlank() ? a.strip() : b;
    }
}
