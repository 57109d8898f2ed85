package io.voiceorder.bridge.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds a {@link BridgeConfig} from the bridge's variables ({@code SIP_DOMAIN}, {@code MAX_CALL_DURATION}, …)
 * however they arrived (flag, environment, {@code .env}). Each refusal is one sentence naming the flag, its
 * variable and the fix; a secret's value never appears in it.
 */
public final class BridgeConfigParser {
    /** The flag of each variable, for error messages. */
    public static final Map<String, String> FLAGS = flags();

    private static final Pattern PARAM_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private final Map<String, String> vars;

    private BridgeConfigParser(Map<String, String> vars) {
        this.vars = vars;
    }

    /**
     * @param vars       variable → raw value; missing or blank values take their defaults
     * @param paramFlags the {@code --param KEY=VALUE} flags in order (they win over RESTAURANT_ID and BRIDGE_PARAMS)
     * @param allowDialFlags the {@code --allow-dial} flags (they replace ALLOW_DIAL when given)
     */
    public static BridgeConfig parse(Map<String, String> vars, List<String> paramFlags, List<String> allowDialFlags) {
        return new BridgeConfigParser(vars).parse(paramFlags, allowDialFlags);
    }

    private BridgeConfig parse(List<String> paramFlags, List<String> allowDialFlags) {
        Optional<String> username = Optional.ofNullable(raw("SIP_USERNAME"));
        refuseUnavailable();
        List<DeviceAccount> devices = devices();
        List<Cidr> allowFrom = allowFrom();
        if (username.isEmpty() && devices.isEmpty() && allowFrom.isEmpty()) {
            throw new ConfigException("no way for calls to come in: set SIP_USERNAME (flag --sip-username) for a SIP trunk, "
                    + "SIP_DEVICES (flag --device USER:PASSWORD) for gateway devices, or SIP_ALLOW_FROM (flag --allow-from CIDR) "
                    + "for peers.");
        }
        if (username.isPresent() && username.get().matches(".*[\\s@:<>\"].*")) {
            throw invalid("SIP_USERNAME", "a SIP user name without spaces, '@', ':' or quotes", username.get());
        }
        HostPort domain = HostPort.parse(text("SIP_DOMAIN", BridgeConfig.DEFAULT_SIP_DOMAIN), 5060);
        if (domain == null) {
            throw invalid("SIP_DOMAIN", "HOST or HOST:PORT (port 1-65535)", raw("SIP_DOMAIN"));
        }
        String transport = text("SIP_TRANSPORT", "udp").toLowerCase(Locale.ROOT);
        if (transport.equals("tls")) {
            throw new ConfigException("TLS transport is not available yet (SIP_TRANSPORT, flag --sip-transport): use udp or tcp.");
        }
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw invalid("SIP_TRANSPORT", "udp or tcp", transport);
        }
        // devices and peers need a known port to send to; a trunk-only bridge can take any free port
        int sipPort = integer("SIP_PORT", devices.isEmpty() && allowFrom.isEmpty() ? 0 : 5060, 0, 65535,
                "a port number between 1 and 65535, or 0 for any free port");
        int apiPort = integer("BRIDGE_API_PORT", 5060, 1, 65535, "a port number between 1 and 65535");
        if (transport.equals("tcp") && sipPort == apiPort) {
            throw new ConfigException("SIP_PORT (flag --sip-port) and BRIDGE_API_PORT (flag --api-port) are both TCP port "
                    + apiPort + " with SIP_TRANSPORT=tcp: choose two different ports.");
        }
        Secret apiToken = Secret.of(raw("BRIDGE_API_TOKEN"));
        if (apiToken.isSet() && apiToken.reveal().length() < 16) {
            throw new ConfigException("BRIDGE_API_TOKEN (flag --api-token) must be at least 16 characters long: "
                    + "generate one, e.g. with 'openssl rand -hex 24'.");
        }
        String apiBind = text("BRIDGE_API_BIND", apiToken.isSet() ? "0.0.0.0" : "127.0.0.1");
        requireIpv4("BRIDGE_API_BIND", apiBind);
        if (!apiToken.isSet() && !isLoopback(apiBind)) {
            throw new ConfigException("BRIDGE_API_BIND (flag --api-bind) is " + apiBind + " but BRIDGE_API_TOKEN is not set: "
                    + "the API would be open to the network. Set BRIDGE_API_TOKEN or bind to 127.0.0.1.");
        }
        Optional<URI> incoming = optionalUrl("INCOMING_CALLBACK_URL", List.of("http", "https"), "an absolute http(s) URL");
        boolean noAutoAnswer = bool("SIP_NO_AUTO_ANSWER");
        if (noAutoAnswer && incoming.isEmpty()) {
            throw new ConfigException("SIP_NO_AUTO_ANSWER (flag --no-auto-answer) needs INCOMING_CALLBACK_URL "
                    + "(flag --incoming-callback-url): without it no call could ever be answered.");
        }
        String callbackMethod = text("CALLBACK_METHOD", "POST").toUpperCase(Locale.ROOT);
        if (!callbackMethod.equals("POST") && !callbackMethod.equals("GET")) {
            throw invalid("CALLBACK_METHOD", "POST or GET", callbackMethod);
        }
        int[] rtp = rtpPorts();
        int maxConcurrent = integer("MAX_CONCURRENT_CALLS", 10, 0, 100_000, "a whole number >= 0 (0 = unlimited)");
        String bind = text("SIP_BIND_ADDRESS", "0.0.0.0");
        requireIpv4("SIP_BIND_ADDRESS", bind);
        Optional<String> publicAddress = Optional.ofNullable(raw("PUBLIC_ADDRESS"));
        publicAddress.ifPresent(a -> requireIpv4("PUBLIC_ADDRESS", a));
        Optional<String> countryCode = countryCode(username);
        URI wsTarget = optionalUrl("WS_TARGET", List.of("ws", "wss"), "an absolute ws:// or wss:// URL")
                .orElse(URI.create(BridgeConfig.DEFAULT_WS_TARGET));
        return new BridgeConfig(
                domain,
                username,
                Secret.of(raw("SIP_PASSWORD")),
                sipPort,
                transport,
                integer("SIP_REG_TIMEOUT", 300, 60, 3600, "a whole number of seconds between 60 and 3600"),
                bool("SIP_VAD"),
                decimal("SIP_RX_GAIN", 0.0, -24, 24, "a number of dB between -24 and 24"),
                decimal("SIP_TX_GAIN", 0.0, -24, 24, "a number of dB between -24 and 24"),
                wsTarget,
                apiPort,
                apiBind,
                apiToken,
                noAutoAnswer,
                integer("MAX_CALL_DURATION", 600, 0, 86_400, "a whole number of seconds >= 0 (0 = unlimited)"),
                maxConcurrent,
                params(paramFlags),
                optionalUrl("STATUS_CALLBACK_URL", List.of("http", "https"), "an absolute http(s) URL"),
                incoming,
                callbackMethod,
                Duration.ofMillis(Math.round(1000 * decimal("CALLBACK_TIMEOUT", 5.0, 0.5, 30, "a number of seconds between 0.5 and 30"))),
                Secret.of(raw("CALLBACK_SECRET")),
                bool("SIP_DROP_UNKNOWN"),
                rtp[0],
                rtp[1],
                bind,
                publicAddress,
                countryCode,
                allowDial(allowDialFlags, countryCode),
                integer("MAX_OUTBOUND_PER_HOUR", 30, 0, 1_000_000, "a whole number >= 0 (0 = unlimited)"),
                Secret.of(raw("MEDIA_STREAM_SECRET")),
                optionalUrl("WS_SIGNATURE_URL", List.of("ws", "wss"), "an absolute ws:// or wss:// URL"),
                integer("JITTER_BUFFER_MS", 60, 20, 300, "a whole number of milliseconds between 20 and 300"),
                integer("RTP_TIMEOUT", 60, 0, 86_400, "a whole number of seconds >= 0 (0 = off)"),
                integer("PACER_PRIORITY", 10, 0, 99, "a whole number between 0 (ordinary scheduling) and 99"),
                oneOf("LOG_LEVEL", "info", List.of("trace", "debug", "info", "warn", "error")),
                logFormat(),
                nat(),
                devices,
                allowFrom,
                TransferMode.of(oneOf("TRANSFER_MODE", "auto", List.of("auto", "refer", "bridge"))));
    }

    /**
     * SIP_DEVICES {@code u:pw,u2:pw2} (one entry per --device flag), split on the first ':'. Refusals name the entry's
     * position, never its text: it holds a password.
     */
    private List<DeviceAccount> devices() {
        String listed = raw("SIP_DEVICES");
        if (listed == null) {
            return List.of();
        }
        List<DeviceAccount> accounts = new ArrayList<>();
        String[] entries = listed.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            String user = colon < 0 ? "" : entry.substring(0, colon).strip();
            String password = colon < 0 ? "" : entry.substring(colon + 1);
            if (colon < 0 || !user.matches("[A-Za-z0-9._~!$&'()*+;=-]{1,64}") || password.isEmpty()) {
                throw new ConfigException("SIP_DEVICES (flag --device) entry " + (i + 1) + " must be USER:PASSWORD with a SIP "
                        + "user name (letters, digits, '.', '_', '-') and a non-empty password: fix the flag or the variable.");
            }
            if (accounts.stream().anyMatch(a -> a.user().equals(user))) {
                throw new ConfigException("SIP_DEVICES (flag --device) lists the device user '" + user + "' twice: "
                        + "give each device one entry.");
            }
            accounts.add(new DeviceAccount(user, Secret.of(password)));
        }
        return List.copyOf(accounts);
    }

    /** SIP_ALLOW_FROM, a comma list of IPv4 CIDRs (a bare address is a /32). */
    private List<Cidr> allowFrom() {
        String listed = raw("SIP_ALLOW_FROM");
        if (listed == null) {
            return List.of();
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : listed.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Cidr cidr = Cidr.parse(entry);
            if (cidr == null) {
                throw invalid("SIP_ALLOW_FROM", "a list of IPv4 CIDRs such as 192.0.2.0/28 or bare addresses", entry.strip());
            }
            cidrs.add(cidr);
        }
        return List.copyOf(cidrs);
    }

    /** STUN/TURN servers (port 3478 by default) and TURN's long-term credentials, both required with a TURN server. */
    private NatConfig nat() {
        Optional<HostPort> stun = hostPort("STUN_SERVER");
        Optional<HostPort> turn = hostPort("TURN_SERVER");
        Optional<String> user = Optional.ofNullable(raw("TURN_USERNAME"));
        Secret password = Secret.of(raw("TURN_PASSWORD"));
        if (turn.isPresent() && (user.isEmpty() || !password.isSet())) {
            throw new ConfigException("TURN_SERVER (flag --turn-server) needs TURN_USERNAME (flag --turn-username) and "
                    + "TURN_PASSWORD (flag --turn-password): set both long-term credentials of the TURN server.");
        }
        if (turn.isEmpty() && (user.isPresent() || password.isSet())) {
            throw new ConfigException("TURN_USERNAME/TURN_PASSWORD (flags --turn-username/--turn-password) are only used "
                    + "with TURN_SERVER (flag --turn-server): set the server or unset the credentials.");
        }
        return new NatConfig(stun, turn, user, password, bool("SIP_NO_ICE"));
    }

    private Optional<HostPort> hostPort(String name) {
        String given = raw(name);
        if (given == null) {
            return Optional.empty();
        }
        HostPort hp = HostPort.parse(given, NatConfig.DEFAULT_PORT);
        if (hp == null) {
            throw invalid(name, "HOST or HOST:PORT (port 1-65535, 3478 when absent)", given);
        }
        return Optional.of(hp);
    }

    /** Flags of later milestones: refused, never accepted and ignored. */
    private void refuseUnavailable() {
        if (raw("TURN_SERVER") != null && bool("SIP_NO_ICE")) {
            throw new ConfigException("SIP_NO_ICE (flag --no-ice) turns relaying off, so TURN_SERVER (flag --turn-server) "
                    + "would be unused: drop one of them.");
        }
        if (raw("SIP_EC_TAIL_MS") != null) {
            throw new ConfigException("echo cancellation is not available in this version (SIP_EC_TAIL_MS, flag --ec-tail-ms): "
                    + "unset it.");
        }
    }

    private String logFormat() {
        return oneOf("LOG_FORMAT", "text", List.of("text", "json"));
    }

    private Optional<String> countryCode(Optional<String> username) {
        String given = raw("COUNTRY_CODE");
        if (given == null) {
            return username.flatMap(PhoneNumbers::countryCodeOf);
        }
        String code = given.startsWith("+") ? given : "+" + given;
        if (!CountryCodes.isCountryCode(code)) {
            throw invalid("COUNTRY_CODE", "an ITU country calling code such as +33", given);
        }
        return Optional.of(code);
    }

    private List<String> allowDial(List<String> flags, Optional<String> countryCode) {
        List<String> entries = new ArrayList<>();
        if (!flags.isEmpty()) {
            entries.addAll(flags);
        } else if (raw("ALLOW_DIAL") != null) {
            for (String e : raw("ALLOW_DIAL").split(",")) {
                entries.add(e);
            }
        } else {
            countryCode.ifPresent(entries::add);
        }
        List<String> cleaned = new ArrayList<>();
        for (String e : entries) {
            String entry = e.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (!entry.equals("*") && !entry.matches("\\+[0-9]{1,15}") && !entry.matches("sip:[A-Za-z0-9.-]+")) {
                throw invalid("ALLOW_DIAL", "a list of E.164 prefixes (+33), sip:HOST entries or *", entry);
            }
            cleaned.add(entry);
        }
        return List.copyOf(cleaned);
    }

    private Map<String, String> params(List<String> paramFlags) {
        Map<String, String> params = new LinkedHashMap<>();
        String restaurantId = raw("RESTAURANT_ID");
        if (restaurantId != null) {
            params.put("restaurantId", restaurantId);
        }
        String listed = raw("BRIDGE_PARAMS");
        if (listed != null) {
            for (String entry : listed.split(",")) {
                if (!entry.isBlank()) {
                    putParam(params, entry, "BRIDGE_PARAMS");
                }
            }
        }
        for (String entry : paramFlags) {
            putParam(params, entry, null);
        }
        return java.util.Collections.unmodifiableMap(params);
    }

    private static void putParam(Map<String, String> params, String entry, String variable) {
        String where = variable == null ? "--param" : variable + " (flag --param)";
        int eq = entry.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(where + " entries must be KEY=VALUE (got an entry without '='): write e.g. restaurantId=r1.");
        }
        String key = entry.substring(0, eq).strip();
        String value = entry.substring(eq + 1).strip();
        if (key.isEmpty()) {
            throw new ConfigException(where + " entries need a key before '=': write e.g. restaurantId=r1.");
        }
        if (BridgeConfig.RESERVED_PARAMS.contains(key)) {
            throw new ConfigException(where + " key '" + key + "' is reserved (callSid, callerPhone, direction, to are set by "
                    + "the bridge): choose another key.");
        }
        if (!PARAM_KEY.matcher(key).matches()) {
            throw new ConfigException(where + " key '" + key + "' must be 1-64 letters, digits, '_', '.' or '-'.");
        }
        params.remove(key);
        params.put(key, value);
    }

    private int[] rtpPorts() {
        String v = text("RTP_PORTS", "10000-20000");
        String rule = "LOW-HIGH with 1024 <= LOW < HIGH <= 65535, e.g. 10000-20000";
        String[] parts = v.split("-");
        if (parts.length != 2) {
            throw invalid("RTP_PORTS", rule, v);
        }
        try {
            int low = Integer.parseInt(parts[0].strip());
            int high = Integer.parseInt(parts[1].strip());
            if (low < 1024 || high > 65535 || low >= high) {
                throw invalid("RTP_PORTS", rule, v);
            }
            return new int[] {low, high};
        } catch (NumberFormatException e) {
            throw invalid("RTP_PORTS", rule, v);
        }
    }

    private void requireIpv4(String name, String value) {
        var m = IPV4.matcher(value);
        boolean ok = m.matches();
        for (int i = 1; ok && i <= 4; i++) {
            ok = Integer.parseInt(m.group(i)) <= 255;
        }
        if (!ok) {
            throw invalid(name, "an IPv4 address such as 127.0.0.1", value);
        }
    }

    static boolean isLoopback(String ipv4) {
        try {
            return InetAddress.getByName(ipv4).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private String raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private String text(String name, String def) {
        String v = raw(name);
        return v == null ? def : v;
    }

    private boolean bool(String name) {
        String v = raw(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw invalid(name, "true or false", v);
        };
    }

    private String oneOf(String name, String def, List<String> allowed) {
        String v = text(name, def).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw invalid(name, "one of " + String.join(", ", allowed), v);
        }
        return v;
    }

    private ConfigException invalid(String name, String rule, String got) {
        return new ConfigException(name + " (flag " + FLAGS.getOrDefault(name, "?") + ") must be " + rule
                + " (got \"" + got + "\"): fix the flag or the variable.");
    }

    private int integer(String name, int def, int min, int max, String rule) {
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

    private double decimal(String name, double def, double min, double max, String rule) {
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

    private Optional<URI> optionalUrl(String name, List<String> schemes, String rule) {
        String v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v);
            boolean ok = uri.isAbsolute() && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null && uri.getRawFragment() == null;
            if (!ok) {
                throw invalid(name, rule, v);
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw invalid(name, rule, v);
        }
    }

    private static Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("SIP_DOMAIN", "--sip-domain");
        f.put("SIP_USERNAME", "--sip-username");
        f.put("SIP_PASSWORD", "--sip-password");
        f.put("SIP_PORT", "--sip-port");
        f.put("SIP_TRANSPORT", "--sip-transport");
        f.put("SIP_REG_TIMEOUT", "--sip-reg-timeout");
        f.put("STUN_SERVER", "--stun-server");
        f.put("TURN_SERVER", "--turn-server");
        f.put("TURN_USERNAME", "--turn-username");
        f.put("TURN_PASSWORD", "--turn-password");
        f.put("SIP_NO_ICE", "--no-ice");
        f.put("SIP_NO_EC", "--no-ec");
        f.put("SIP_EC_TAIL_MS", "--ec-tail-ms");
        f.put("SIP_VAD", "--vad");
        f.put("SIP_RX_GAIN", "--rx-gain");
        f.put("SIP_TX_GAIN", "--tx-gain");
        f.put("WS_TARGET", "--ws-target");
        f.put("BRIDGE_API_PORT", "--api-port");
        f.put("SIP_NO_AUTO_ANSWER", "--no-auto-answer");
        f.put("MAX_CALL_DURATION", "--max-call-duration");
        f.put("MAX_CONCURRENT_CALLS", "--max-concurrent-calls");
        f.put("RESTAURANT_ID", "--param");
        f.put("BRIDGE_PARAMS", "--param");
        f.put("STATUS_CALLBACK_URL", "--status-callback-url");
        f.put("INCOMING_CALLBACK_URL", "--incoming-callback-url");
        f.put("CALLBACK_METHOD", "--callback-method");
        f.put("CALLBACK_TIMEOUT", "--callback-timeout");
        f.put("SIP_DEVICES", "--device");
        f.put("SIP_ALLOW_FROM", "--allow-from");
        f.put("SIP_DROP_UNKNOWN", "--drop-unknown");
        f.put("RTP_PORTS", "--rtp-ports");
        f.put("SIP_BIND_ADDRESS", "--bind-address");
        f.put("PUBLIC_ADDRESS", "--public-address");
        f.put("COUNTRY_CODE", "--country-code");
        f.put("ALLOW_DIAL", "--allow-dial");
        f.put("MAX_OUTBOUND_PER_HOUR", "--max-outbound-per-hour");
        f.put("TRANSFER_MODE", "--transfer-mode");
        f.put("BRIDGE_API_TOKEN", "--api-token");
        f.put("BRIDGE_API_BIND", "--api-bind");
        f.put("MEDIA_STREAM_SECRET", "--media-stream-secret");
        f.put("WS_SIGNATURE_URL", "--ws-signature-url");
        f.put("CALLBACK_SECRET", "--callback-secret");
        f.put("JITTER_BUFFER_MS", "--jitter-buffer-ms");
        f.put("RTP_TIMEOUT", "--rtp-timeout");
        f.put("PACER_PRIORITY", "--pacer-priority");
        f.put("LOG_LEVEL", "--log-level");
        f.put("LOG_FORMAT", "--log-format");
        return java.util.Collections.unmodifiableMap(f);
    }
}
