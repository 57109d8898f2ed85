package io.voiceorder.cli;

import io.voiceorder.bridge.BridgeServer;
import io.voiceorder.bridge.config.BridgeConfig;
import io.voiceorder.bridge.config.BridgeConfigParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code voiceorder bridge}: the original Python bridge's flags with their defaults, plus the new ones of
 * bridge.md §2.2, each defaulting to its {@code ${env:NAME}}. Values stay strings so that
 * {@link BridgeConfigParser} alone validates them and words its errors (flag, variable and fix).
 */
@Command(name = "bridge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = VoiceOrderCommand.HELP_WIDTH,
        description = {
            "Starts the SIP bridge: answers calls and streams each one to serve over the Twilio Media Streams protocol;",
            "REST API on --api-bind:--api-port. Runs until CTRL+C or SIGTERM, then hangs up live calls, un-registers and",
            "exits within 3 s.",
            "Calls come in three ways, combined freely (at least one is required): a SIP trunk (--sip-username: the bridge",
            "registers to --sip-domain), gateway devices such as a Grandstream HT841 (--device USER:PASSWORD: they register",
            "to the bridge's own registrar with digest auth), and peers (--allow-from CIDR: INVITEs accepted without auth).",
            "Any other source gets 403, or nothing with --drop-unknown. Echo cancellation (--ec-tail-ms) is refused at",
            "start-up."},
        footer = {
            "",
            "Each option defaults to the environment variable named below it.",
            "Precedence: flag > environment variable > .env in the working directory > built-in default.",
            "Keep secrets (SIP_PASSWORD, TURN_PASSWORD, SIP_DEVICES, BRIDGE_API_TOKEN, MEDIA_STREAM_SECRET, CALLBACK_SECRET)",
            "in the environment or .env: values given as flags are visible to every user of the machine in 'ps'."})
final class BridgeCommand implements Callable<Integer> {
    /** Options that carry a secret: accepted as flags, with a warning naming the variable. */
    private static final Map<String, String> SECRET_FLAGS = Map.of("--sip-password", "SIP_PASSWORD",
            "--turn-password", "TURN_PASSWORD", "--api-token", "BRIDGE_API_TOKEN", "--media-stream-secret",
            "MEDIA_STREAM_SECRET", "--callback-secret", "CALLBACK_SECRET", "--device", "SIP_DEVICES");

    // picocli fills these; variables() reads them back through the spec, keyed by each ${env:NAME}.
    @Option(names = "--sip-domain", paramLabel = "HOST[:PORT]", defaultValue = "${env:SIP_DOMAIN:-sip.twilio.com}",
            description = {"Trunk registrar and domain of the URIs the bridge builds (port 5060 when absent).",
                "(SIP_DOMAIN, default: ${DEFAULT-VALUE})"})
    String sipDomain;

    @Option(names = "--sip-username", paramLabel = "USER", defaultValue = "${env:SIP_USERNAME}",
            description = {"Trunk account: turns trunk mode on; AOR, digest and From user; country code source.",
                "(SIP_USERNAME, unset by default)"})
    String sipUsername;

    @Option(names = "--sip-password", paramLabel = "PW", defaultValue = "${env:SIP_PASSWORD}",
            description = {"Trunk digest password.", "(from SIP_PASSWORD; prefer .env or the environment)"})
    String sipPassword;

    @Option(names = "--sip-port", paramLabel = "N", defaultValue = "${env:SIP_PORT}",
            description = {"Local SIP port; 0 = any free port. Devices and peers need a known port.",
                "(SIP_PORT, default: 5060 with --device or --allow-from, else 0)"})
    String sipPort;

    @Option(names = "--sip-transport", paramLabel = "udp|tcp|tls", defaultValue = "${env:SIP_TRANSPORT:-udp}",
            description = {"The one SIP transport; tls is not available yet.", "(SIP_TRANSPORT, default: ${DEFAULT-VALUE})"})
    String sipTransport;

    @Option(names = "--sip-reg-timeout", paramLabel = "S", defaultValue = "${env:SIP_REG_TIMEOUT:-300}",
            description = {"Expires requested in REGISTER (60-3600); refresh at 75 % of what is granted.",
                "(SIP_REG_TIMEOUT, default: ${DEFAULT-VALUE})"})
    String sipRegTimeout;

    @Option(names = "--stun-server", paramLabel = "HOST[:PORT]", defaultValue = "${env:STUN_SERVER}",
            description = {"STUN server (port 3478 when absent). A Binding request at start and",
                "every 5 min gives the public IP for Contact/Via (unless",
                "--public-address); one from each call's RTP socket gives the",
                "address:port its SDP carries.", "(STUN_SERVER, unset by default)"})
    String stunServer;

    @Option(names = "--turn-server", paramLabel = "HOST[:PORT]", defaultValue = "${env:TURN_SERVER}",
            description = {"TURN server (UDP, port 3478 when absent). Each call's RTP goes through",
                "an allocation made from its RTP socket; the relayed address goes into",
                "the SDP. A failed allocation falls back to STUN, then the local",
                "address, with a warning. Also the STUN server when --stun-server is",
                "empty.", "(TURN_SERVER, unset by default)"})
    String turnServer;

    @Option(names = "--turn-username", paramLabel = "U", defaultValue = "${env:TURN_USERNAME}",
            description = {"TURN long-term user (with --turn-server).", "(TURN_USERNAME, unset by default)"})
    String turnUsername;

    @Option(names = "--turn-password", paramLabel = "P", defaultValue = "${env:TURN_PASSWORD}",
            description = {"TURN long-term password (with --turn-server).", "(from TURN_PASSWORD; prefer the environment)"})
    String turnPassword;

    @Option(names = "--no-ice", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:SIP_NO_ICE:-false}",
            description = {"The original bridge switched ICE off with this. This bridge never",
                "puts ICE candidates in SDP (trunks and FXO gateways do not use ICE);",
                "what ICE gave for media (a public media address, relaying) is done",
                "by per-call STUN and TURN, and --no-ice turns both off for media:",
                "SDP carries --public-address or the local address and RTP goes",
                "direct. STUN still gives the SIP Contact address.",
                "With --turn-server it is refused.",
                "(SIP_NO_ICE, default: ${DEFAULT-VALUE})"})
    String noIce;

    @Option(names = "--no-ec", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:SIP_NO_EC:-false}",
            description = {"Echo canceller off; it is not in this version, so this asks for what is already true.",
                "(SIP_NO_EC, default: ${DEFAULT-VALUE})"})
    String noEc;

    @Option(names = "--ec-tail-ms", paramLabel = "MS", defaultValue = "${env:SIP_EC_TAIL_MS}",
            description = {"Canceller tail, 32-500 ms: echo cancellation is not available in this version (refused).",
                "(SIP_EC_TAIL_MS, default: 200 once available)"})
    String ecTailMs;

    @Option(names = "--vad", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true", defaultValue = "${env:SIP_VAD:-false}",
            description = {"Outbound silence suppression: no RTP while serve has nothing queued.",
                "(SIP_VAD, default: ${DEFAULT-VALUE})"})
    String vad;

    @Option(names = "--rx-gain", paramLabel = "DB", defaultValue = "${env:SIP_RX_GAIN:-0.0}",
            description = {"Gain on the caller's audio before serve, -24..+24 dB.", "(SIP_RX_GAIN, default: ${DEFAULT-VALUE})"})
    String rxGain;

    @Option(names = "--tx-gain", paramLabel = "DB", defaultValue = "${env:SIP_TX_GAIN:-0.0}",
            description = {"Gain on serve's audio before the caller, -24..+24 dB.", "(SIP_TX_GAIN, default: ${DEFAULT-VALUE})"})
    String txGain;

    @Option(names = "--ws-target", paramLabel = "URL", defaultValue = "${env:WS_TARGET:-" + BridgeConfig.DEFAULT_WS_TARGET + "}",
            description = {"ws:// or wss:// URL of serve's media stream, opened once per call.",
                "(WS_TARGET, default: ${DEFAULT-VALUE})"})
    String wsTarget;

    @Option(names = "--api-port", paramLabel = "N", defaultValue = "${env:BRIDGE_API_PORT:-5060}",
            description = {"TCP port of the REST API.", "(BRIDGE_API_PORT, default: ${DEFAULT-VALUE})"})
    String apiPort;

    @Option(names = "--no-auto-answer", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:SIP_NO_AUTO_ANSWER:-false}",
            description = {"Answer inbound calls only when the incoming callback says accept (needs --incoming-callback-url).",
                "(SIP_NO_AUTO_ANSWER, default: ${DEFAULT-VALUE})"})
    String noAutoAnswer;

    @Option(names = "--max-call-duration", paramLabel = "S", defaultValue = "${env:MAX_CALL_DURATION:-600}",
            description = {"Longest call from its answer; 0 = unlimited.", "(MAX_CALL_DURATION, default: ${DEFAULT-VALUE})"})
    String maxCallDuration;

    @Option(names = "--max-concurrent-calls", paramLabel = "N", defaultValue = "${env:MAX_CONCURRENT_CALLS:-10}",
            description = {"Calls holding a SIP leg: inbound beyond gets 486, REST 429; 0 = unlimited.",
                "(MAX_CONCURRENT_CALLS, default: ${DEFAULT-VALUE})"})
    String maxConcurrentCalls;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = {"Repeatable; added to every start.customParameters (later duplicates win).",
                "(RESTAURANT_ID gives restaurantId; BRIDGE_PARAMS k=v,k2=v2; flags come last)"})
    List<String> params = new ArrayList<>();

    @Option(names = "--status-callback-url", paramLabel = "URL", defaultValue = "${env:STATUS_CALLBACK_URL}",
            description = {"Global status callback (initiated, ringing, answered, completed).",
                "(STATUS_CALLBACK_URL, unset by default)"})
    String statusCallbackUrl;

    @Option(names = "--incoming-callback-url", paramLabel = "URL", defaultValue = "${env:INCOMING_CALLBACK_URL}",
            description = {"Consulted before answering each inbound call (accept, reject or ignore).",
                "(INCOMING_CALLBACK_URL, unset by default)"})
    String incomingCallbackUrl;

    @Option(names = "--callback-method", paramLabel = "POST|GET", defaultValue = "${env:CALLBACK_METHOD:-POST}",
            description = {"Method of status callbacks.", "(CALLBACK_METHOD, default: ${DEFAULT-VALUE})"})
    String callbackMethod;

    @Option(names = "--callback-timeout", paramLabel = "S", defaultValue = "${env:CALLBACK_TIMEOUT:-5.0}",
            description = {"Timeout of every callback request, 0.5-30 s.", "(CALLBACK_TIMEOUT, default: ${DEFAULT-VALUE})"})
    String callbackTimeout;

    @Option(names = "--device", paramLabel = "USER:PASSWORD",
            description = {"Repeatable; turns gateway mode on: a registrar account for a device (e.g. an HT841), split on",
                "the first ':'. The device REGISTERs to this bridge with digest auth (realm voiceorder) and its INVITEs",
                "are digest-challenged (407). Secret: never logged or shown.",
                "(SIP_DEVICES u:pw,u2:pw2, unset by default; prefer the environment)"})
    List<String> devices = new ArrayList<>();

    @Option(names = "--allow-from", paramLabel = "CIDR",
            description = {"Repeatable; turns peer mode on: INVITEs from this IPv4 CIDR (a bare address = /32) are",
                "accepted without authentication; also trusts extra signalling hosts of a trunk. Keep it narrow.",
                "(SIP_ALLOW_FROM, comma list, unset by default)"})
    List<String> allowFrom = new ArrayList<>();

    @Option(names = "--drop-unknown", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:SIP_DROP_UNKNOWN:-false}",
            description = {"Sources that are no trunk address, peer CIDR or device binding get no response at all",
                "instead of 403.", "(SIP_DROP_UNKNOWN, default: ${DEFAULT-VALUE})"})
    String dropUnknown;

    @Option(names = "--rtp-ports", paramLabel = "LOW-HIGH", defaultValue = "${env:RTP_PORTS:-10000-20000}",
            description = {"RTP (even) and RTCP (odd) ports.", "(RTP_PORTS, default: ${DEFAULT-VALUE})"})
    String rtpPorts;

    @Option(names = "--bind-address", paramLabel = "IP", defaultValue = "${env:SIP_BIND_ADDRESS:-0.0.0.0}",
            description = {"Local address of SIP and RTP sockets.", "(SIP_BIND_ADDRESS, default: ${DEFAULT-VALUE})"})
    String bindAddress;

    @Option(names = "--public-address", paramLabel = "IP", defaultValue = "${env:PUBLIC_ADDRESS}",
            description = {"Address advertised in Contact, Via and SDP.", "(PUBLIC_ADDRESS, unset by default: the local address)"})
    String publicAddress;

    @Option(names = "--country-code", paramLabel = "+CC", defaultValue = "${env:COUNTRY_CODE}",
            description = {"Country code for national numbers and the default --allow-dial.",
                "(COUNTRY_CODE, default: derived from --sip-username)"})
    String countryCode;

    @Option(names = "--allow-dial", paramLabel = "PREFIX",
            description = {"Repeatable: E.164 prefix, sip:HOST or * (all) allowed for outbound calls.",
                "(ALLOW_DIAL comma list, default: the country code)"})
    List<String> allowDial = new ArrayList<>();

    @Option(names = "--max-outbound-per-hour", paramLabel = "N", defaultValue = "${env:MAX_OUTBOUND_PER_HOUR:-30}",
            description = {"Outbound attempts per sliding hour, beyond: 429; 0 = unlimited.",
                "(MAX_OUTBOUND_PER_HOUR, default: ${DEFAULT-VALUE})"})
    String maxOutboundPerHour;

    @Option(names = "--transfer-mode", paramLabel = "auto|refer|bridge", defaultValue = "${env:TRANSFER_MODE}",
            description = {"How POST /api/calls/{sid}/transfer hands a call on: auto = REFER, and a bridged second leg if the",
                "far end refuses it; refer = REFER only (refused: 502, the call stays with serve); bridge = always a",
                "bridged second leg (the bridge keeps relaying the audio).", "(TRANSFER_MODE, default: auto)"})
    String transferMode;

    @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:BRIDGE_API_TOKEN}",
            description = {"Bearer token for /api/* and /metrics, at least 16 characters.",
                "(from BRIDGE_API_TOKEN; prefer the environment)"})
    String apiToken;

    @Option(names = "--api-bind", paramLabel = "IP", defaultValue = "${env:BRIDGE_API_BIND}",
            description = {"REST bind address; non-loopback needs --api-token.",
                "(BRIDGE_API_BIND, default: 0.0.0.0 with a token, else 127.0.0.1)"})
    String apiBind;

    @Option(names = "--media-stream-secret", paramLabel = "S", defaultValue = "${env:MEDIA_STREAM_SECRET}",
            description = {"Key of X-Twilio-Signature on the stream upgrade.", "(from MEDIA_STREAM_SECRET; prefer the environment)"})
    String mediaStreamSecret;

    @Option(names = "--ws-signature-url", paramLabel = "URL", defaultValue = "${env:WS_SIGNATURE_URL}",
            description = {"URL the upgrade signature covers.", "(WS_SIGNATURE_URL, default: the dialled target, scheme wss)"})
    String wsSignatureUrl;

    @Option(names = "--callback-secret", paramLabel = "S", defaultValue = "${env:CALLBACK_SECRET}",
            description = {"Signs callback requests (X-VoiceOrder-Signature).", "(from CALLBACK_SECRET; prefer the environment)"})
    String callbackSecret;

    @Option(names = "--jitter-buffer-ms", paramLabel = "MS", defaultValue = "${env:JITTER_BUFFER_MS:-60}",
            description = {"Inbound playout delay, 20-300.", "(JITTER_BUFFER_MS, default: ${DEFAULT-VALUE})"})
    String jitterBufferMs;

    @Option(names = "--rtp-timeout", paramLabel = "S", defaultValue = "${env:RTP_TIMEOUT:-60}",
            description = {"No RTP/RTCP for this long on an answered call → BYE; 0 = off.", "(RTP_TIMEOUT, default: ${DEFAULT-VALUE})"})
    String rtpTimeout;

    @Option(names = "--pacer-priority", paramLabel = "N", defaultValue = "${env:PACER_PRIORITY:-10}",
            description = {"Real-time (SCHED_FIFO) priority of the RTP pacing thread, 1-99; 0 = ordinary scheduling.",
                "Needs root, CAP_SYS_NICE or LimitRTPRIO; without them the bridge warns and paces at ordinary priority.",
                "(PACER_PRIORITY, default: ${DEFAULT-VALUE})"})
    String pacerPriority;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:LOG_LEVEL:-info}",
            description = {"trace, debug, info, warn or error; debug adds SIP message traces (secrets masked).",
                "(LOG_LEVEL, default: ${DEFAULT-VALUE})"})
    String logLevel;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:LOG_FORMAT:-text}",
            description = {"One line per event, as text or as one JSON object.", "(LOG_FORMAT, default: ${DEFAULT-VALUE})"})
    String logFormat;

    @Spec
    CommandSpec spec;

    private final VariableDefaults defaults;
    private final StopSignal stopSignal;

    BridgeCommand(VariableDefaults defaults, StopSignal stopSignal) {
        this.defaults = defaults;
        this.stopSignal = stopSignal;
    }

    /** Each variable from its flag, else the environment, else .env, else its default: what {@link BridgeConfigParser} gets. */
    Map<String, String> variables() {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> vars = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            VariableDefaults.variableOf(option).ifPresent(variable -> vars.put(variable,
                    parsed.hasMatchedOption(option) ? String.valueOf((Object) option.getValue())
                            : defaults.resolve(option).orElseThrow()));
        }
        for (String listed : List.of("RESTAURANT_ID", "BRIDGE_PARAMS", "ALLOW_DIAL", "SIP_DEVICES", "SIP_ALLOW_FROM")) {
            vars.put(listed, defaults.variable(listed));
        }
        if (!devices.isEmpty()) {
            vars.put("SIP_DEVICES", String.join(",", devices));
        }
        if (!allowFrom.isEmpty()) {
            vars.put("SIP_ALLOW_FROM", String.join(",", allowFrom));
        }
        return vars;
    }

    BridgeConfig config() {
        return BridgeConfigParser.parse(variables(), params, allowDial);
    }

    @Override
    public Integer call() throws InterruptedException {
        BridgeConfig config = config();
        warnAboutSecretFlags(spec.commandLine().getErr());
        BridgeLogging.apply(config.logLevel(), config.logFormat());
        BridgeServer bridge = BridgeServer.start(config);
        try {
            stopSignal.await();
        } finally {
            // a second signal while hanging up and un-registering exits at once (bridge.md §5.11)
            stopSignal.onNextSignal(() -> Runtime.getRuntime().halt(VoiceOrderCommand.RUNTIME_FAILURE));
            bridge.shutdown();
        }
        return 0;
    }

    private void warnAboutSecretFlags(PrintWriter err) {
        ParseResult parsed = spec.commandLine().getParseResult();
        SECRET_FLAGS.forEach((flag, variable) -> {
            if (parsed.hasMatchedOption(flag)) {
                err.println("warning: " + flag + " is visible to every user of this machine in 'ps'; put " + variable
                        + " in the environment or .env instead.");
            }
        });
    }
}
