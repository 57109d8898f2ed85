package io.voiceorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code voiceorder call TO}: places an outbound call through the bridge's REST API or through Twilio
 * ({@link TwilioCall}) and, with {@code --wait}, follows its status live. Exit 0 when the call completed
 * normally, 1 on busy, no-answer, failed or cancelled, 2 on usage errors (including a refusal by the
 * bridge or Twilio that names what to fix).
 */
@Command(name = "call",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = VoiceOrderCommand.HELP_WIDTH,
        description = {
            "Places an outbound call to TO and connects it to serve like an inbound call.",
            "TO: E.164 (+33612345678), a national number (normalised with the trunk's country code) or a sip: URI."},
        footer = {
            "",
            "Each option defaults to the environment variable named below it. Secrets come from the environment",
            "or .env only: BRIDGE_API_TOKEN for the bridge; TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for Twilio",
            "(TWILIO_API_URL, default https://api.twilio.com). Exit status: 0 completed, 1 busy/no-answer/failed/",
            "cancelled or bridge/Twilio unreachable, 2 usage error or refused by the bridge or Twilio."})
final class CallCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);

    @Parameters(index = "0", paramLabel = "TO", description = "The number or sip: URI to call.")
    String to;

    @Option(names = "--via", paramLabel = "bridge|twilio|auto", defaultValue = "${env:VOICEORDER_CALL_VIA:-auto}",
            description = {"Who places the call: auto = the bridge when its /health answers,",
                "else Twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set.",
                "(VOICEORDER_CALL_VIA, default: ${DEFAULT-VALUE})"})
    String via;

    @Option(names = "--bridge-url", paramLabel = "URL", defaultValue = "${env:BRIDGE_URL:-http://127.0.0.1:5060}",
            description = {"Base URL of the bridge's REST API.", "(BRIDGE_URL, default: ${DEFAULT-VALUE})"})
    String bridgeUrl;

    @Option(names = "--from", paramLabel = "NUMBER", defaultValue = "${env:CALL_FROM}",
            description = {"Caller id to present (the trunk decides whether the callee sees it;",
                "with Twilio, a number of the account).",
                "(CALL_FROM, unset by default; Twilio falls back to TWILIO_PHONE_NUMBER)"})
    String from;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = {"Repeatable custom parameter of the stream; restaurantId defaults to RESTAURANT_ID."})
    List<String> params = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "${env:CALL_TIMEOUT:-30}",
            description = {"Ring timeout, 5-120 s.", "(CALL_TIMEOUT, default: ${DEFAULT-VALUE})"})
    String timeout;

    @Option(names = "--ws-target", paramLabel = "URL", defaultValue = "${env:CALL_WS_TARGET}",
            description = {"Per-call WebSocket target (bridge).", "(CALL_WS_TARGET, unset: the bridge's --ws-target)"})
    String wsTarget;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:PUBLIC_URL}",
            description = {"Where Twilio reaches serve, e.g. https://voice.example.com; required",
                "with Twilio.", "(PUBLIC_URL, unset by default)"})
    String publicUrl;

    @Option(names = "--callback-url", paramLabel = "URL", defaultValue = "${env:CALL_CALLBACK_URL}",
            description = {"Status callback of this call (Twilio: StatusCallback for initiated,",
                "ringing, answered, completed).", "(CALL_CALLBACK_URL, unset by default)"})
    String callbackUrl;

    @Option(names = "--wait", negatable = true,
            description = {"Follow the call until it ends; --no-wait prints the sid and returns.",
                "(default: follow when the output is a terminal)"})
    Boolean wait;

    @Option(names = "--json", description = "Print the call object as JSON instead of text (scripts).")
    boolean json;

    @Spec
    CommandSpec spec;

    private final VariableDefaults defaults;
    private final BooleanSupplier terminal;
    // Built on first use: a JDK client's selector thread sits in native code, which makes every JVM exit
    // (--help included) wait ~300 ms for it.
    private HttpClient http;

    CallCommand(VariableDefaults defaults, BooleanSupplier terminal) {
        this.defaults = defaults;
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String route = via.toLowerCase(Locale.ROOT);
        boolean follow = wait != null ? wait : terminal.getAsBoolean();
        switch (route) {
            case "bridge" -> { }
            case "twilio" -> {
                return twilio(follow, out);
            }
            case "auto" -> {
                URI base = bridgeBase();
                if (!bridgeAnswers(base)) {
                    if (TwilioCall.configured(defaults)) {
                        return twilio(follow, out);
                    }
                    throw new ConfigException("no bridge answers at " + base + "/health (BRIDGE_URL, flag --bridge-url) and Twilio "
                            + "is not configured (" + TwilioCall.missingCredentials(defaults) + " not set). Start 'voiceorder bridge' "
                            + "and point --bridge-url at it, or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to call through Twilio.");
                }
            }
            default -> throw new ConfigException("--via must be bridge, twilio or auto (got \"" + via + "\").");
        }
        URI base = bridgeBase();
        JsonNode created = place(base);
        String sid = created.path("sid").asText();
        if (!follow) {
            out.println(json ? created.toString() : sid);
            return 0;
        }
        if (!json) {
            out.println(sid);
        }
        JsonNode last = follow(base, sid, out);
        if (json) {
            out.println(last.toString());
        } else {
            out.println();
        }
        return last.path("status").asText().equals("completed") ? 0 : VoiceOrderCommand.RUNTIME_FAILURE;
    }

    private int twilio(boolean follow, PrintWriter out) throws InterruptedException {
        return new TwilioCall(defaults, out).run(to, from, customParams(), ringTimeout(), publicUrl, callbackUrl, follow, json);
    }

    /** The stream's custom parameters: restaurantId from RESTAURANT_ID unless a --param names it, then the --param pairs. */
    private Map<String, String> customParams() {
        Map<String, String> custom = new LinkedHashMap<>();
        String restaurantId = defaults.variable("RESTAURANT_ID");
        if (restaurantId != null) {
            custom.put("restaurantId", restaurantId);
        }
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--param must be KEY=VALUE (got an entry without a key or '=').");
            }
            custom.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return custom;
    }

    private int ringTimeout() {
        try {
            int seconds = Integer.parseInt(timeout.strip());
            if (seconds >= 5 && seconds <= 120) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new ConfigException("CALL_TIMEOUT (flag --timeout) must be a whole number of seconds between 5 and 120 "
                + "(got \"" + timeout + "\").");
    }

    private URI bridgeBase() {
        String b = bridgeUrl.endsWith("/") ? bridgeUrl.substring(0, bridgeUrl.length() - 1) : bridgeUrl;
        try {
            URI uri = URI.create(b);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException(b);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("BRIDGE_URL (flag --bridge-url) must be an http(s) URL such as http://127.0.0.1:5060 "
                    + "(got \"" + bridgeUrl + "\").");
        }
    }

    private boolean bridgeAnswers(URI base) {
        try {
            HttpResponse<String> health = http().send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("sip_registered");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode place(URI base) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("to", to);
        if (from != null && !from.isBlank()) {
            body.put("from", from);
        }
        ObjectNode custom = body.putObject("customParams");
        customParams().forEach(custom::put);
        body.put("timeoutSec", ringTimeout());
        if (wsTarget != null && !wsTarget.isBlank()) {
            body.put("wsTarget", wsTarget);
        }
        if (callbackUrl != null && !callbackUrl.isBlank()) {
            body.put("callbackUrl", callbackUrl);
        }
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(base + "/api/calls"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), base);
        if (reply.statusCode() == 201) {
            return JSON.readTree(reply.body());
        }
        throw refusal(reply);
    }

    private JsonNode follow(URI base, String sid, PrintWriter out) throws IOException, InterruptedException {
        String shown = "";
        while (true) {
            HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(base + "/api/calls/" + sid)).GET(), base);
            if (reply.statusCode() != 200) {
                throw refusal(reply);
            }
            JsonNode call = JSON.readTree(reply.body());
            String status = call.path("status").asText();
            if (!json && !status.equals(shown)) {
                shown = status;
                String line = status + (call.path("durationSec").asLong() > 0 ? " (" + call.path("durationSec").asLong() + " s)" : "");
                out.print("\r" + line + (call.path("endReason").isTextual() ? ", " + call.path("endReason").asText() : "") + "   ");
                out.flush();
            }
            if (List.of("completed", "failed", "busy", "no-answer", "cancelled", "transferred").contains(status)) {
                return call;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI base) throws IOException, InterruptedException {
        String token = defaults.variable("BRIDGE_API_TOKEN");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http().send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CallFailedException("the bridge at " + base + " is not reachable (BRIDGE_URL, flag --bridge-url). "
                    + "Start it with 'voiceorder bridge'.");
        }
    }

    private static RuntimeException refusal(HttpResponse<String> reply) {
        String message;
        String code;
        try {
            JsonNode error = JSON.readTree(reply.body());
            message = error.path("message").asText("");
            code = error.path("error").asText("");
        } catch (Exception e) {
            message = "";
            code = "";
        }
        return switch (reply.statusCode()) {
            case 401 -> new ConfigException("the bridge refused the API token: set BRIDGE_API_TOKEN to the bridge's token.");
            case 403 -> new ConfigException("the bridge does not allow this destination (" + code + "): " + message
                    + " Add its prefix to the bridge's ALLOW_DIAL if it is legitimate.");
            case 429 -> new ConfigException(code.equals("hourly_cap")
                    ? "the bridge's hourly cap of outbound calls is reached: " + message
                    : "the bridge holds its maximum of concurrent calls: " + message);
            case 400 -> new ConfigException("the bridge refused the request: " + message);
            default -> new CallFailedException("the bridge answered " + reply.statusCode() + (message.isEmpty() ? "" : ": " + message));
        };
    }

    /** A runtime failure with its sentence (exit status 1). */
    static final class CallFailedException extends RuntimeException {
        CallFailedException(String message) {
            super(message, null, false, false);
        }
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        }
        return http;
    }
}
