package io.voiceorder.bridge;

import io.voiceorder.bridge.api.HealthSource;
import io.voiceorder.bridge.call.CallManager;
import io.voiceorder.bridge.call.CallRecord;
import io.voiceorder.bridge.call.CallRegistry;
import io.voiceorder.bridge.config.BridgeConfig;
import io.voiceorder.bridge.guard.Ban;
import io.voiceorder.bridge.guard.BanList;
import io.voiceorder.bridge.guard.SourceGuard;
import io.voiceorder.bridge.media.MediaEngine;
import io.voiceorder.bridge.media.MediaEngineStats;
import io.voiceorder.bridge.registrar.DeviceStatus;
import io.voiceorder.bridge.registrar.Registrar;
import io.voiceorder.bridge.sip.RegistrationSnapshot;
import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.TrunkRegistration;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The §3.3 {@code /health} object from the running parts. No caller data, no secret. */
final class BridgeHealth implements HealthSource {
    /** /health stays small under a flood from many addresses: this many bans listed, the rest only counted. */
    static final int BANS_LISTED = 20;

    private final BridgeConfig config;
    private final String accountSid;
    private final Optional<TrunkRegistration> registration;
    private final Optional<Registrar> registrar;
    private final CallRegistry registry;
    private final MediaEngine media;
    private final SipEndpoint sip;
    private final CallManager calls;
    private final Clock clock;
    private final SourceGuard guard;
    private volatile boolean shuttingDown;

    BridgeHealth(BridgeConfig config, String accountSid, Optional<TrunkRegistration> registration, Optional<Registrar> registrar,
                 CallRegistry registry, MediaEngine media, SipEndpoint sip, CallManager calls, Clock clock,
                 SourceGuard guard) {
        this.config = config;
        this.accountSid = accountSid;
        this.registration = registration;
        this.registrar = registrar;
        this.registry = registry;
        this.media = media;
        this.sip = sip;
        this.calls = calls;
        this.clock = clock;
        this.guard = guard;
    }

    void shuttingDown(boolean value) {
        shuttingDown = value;
    }

    @Override
    public boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public Map<String, Object> health() {
        Optional<RegistrationSnapshot> reg = registration.map(TrunkRegistration::snapshot);
        MediaEngineStats stats = media.stats();
        Boolean registered = reg.map(r -> r.state().registered()).orElse(null);
        boolean wsFailed = stats.wsLastConnect() != null && !stats.wsLastConnect().equals("ok");
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", shuttingDown ? "shutting_down"
                : (Boolean.FALSE.equals(registered) || wsFailed || stats.rtpPortPairsFree() == 0) ? "degraded" : "ok");
        h.put("version", Version.current());
        h.put("uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        h.put("account_sid", accountSid);
        h.put("sip_registered", registered);
        h.put("sip_account", config.sipAccount().orElse(null));
        h.put("ws_target", config.wsTarget().getScheme() + "://" + config.wsTarget().getRawAuthority()
                + (config.wsTarget().getRawPath() == null ? "" : config.wsTarget().getRawPath()));
        h.put("active_calls", registry.legsInUse());
        h.put("max_concurrent_calls", config.maxConcurrentCalls());
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put("codec", "PCMU/8000");
        audio.put("clock_rate", 8000);
        audio.put("frame_ms", 20);
        audio.put("ec_enabled", false);
        audio.put("vad_enabled", config.vad());
        h.put("audio", audio);
        Map<String, Object> sipInfo = new LinkedHashMap<>();
        sipInfo.put("transport", config.sipTransport());
        sipInfo.put("listen", sip.bindAddress() + ":" + sip.localPort());
        sipInfo.put("advertised", sip.advertisedHost() + ":" + sip.advertisedPort());
        sipInfo.put("advertised_from", sip.advertisedFrom());
        h.put("sip", sipInfo);
        h.put("registrations", reg.map(this::registration).map(List::of).orElse(List.of()));
        h.put("devices", registrar.map(Registrar::devices).orElse(List.of()).stream()
                .map(d -> device(d, d.sourceHost() != null && guard.isBanned(d.sourceHost()))).toList());
        h.put("peers", config.allowFrom().stream().map(Object::toString).toList());
        Map<String, Object> rtp = new LinkedHashMap<>();
        rtp.put("range", config.rtpPortMin() + "-" + config.rtpPortMax());
        rtp.put("in_use", stats.rtpPortsInUse());
        h.put("rtp_ports", rtp);
        BanList bans = guard.activeBans(BANS_LISTED);
        h.put("banned", bans.listed().stream().map(BridgeHealth::ban).toList());
        h.put("banned_total", bans.total());
        h.put("ws", Map.of("last_connect", stats.wsLastConnect() == null ? "none" : stats.wsLastConnect()));
        h.put("last_error", reg.flatMap(r -> r.lastError().<Object>map(e -> Map.of("time", CallRecord.iso(r.since()), "message", e)))
                .orElse(null));
        return h;
    }

    private Map<String, Object> registration(RegistrationSnapshot reg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("registrar", reg.registrar());
        r.put("aor", reg.aor());
        r.put("state", reg.state().healthName());
        r.put("expires_in_s", reg.expiresAt().map(at -> Math.max(0, Duration.between(clock.instant(), at).toSeconds())).orElse(null));
        r.put("since", CallRecord.iso(reg.since()));
        r.put("last_error", reg.lastError().orElse(null));
        return r;
    }

    private static Map<String, Object> ban(Ban ban) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", ban.source());
        m.put("reason", ban.reason().healthName());
        m.put("until", CallRecord.iso(ban.until()));
        return m;
    }

    private static Map<String, Object> device(DeviceStatus d, boolean banned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", d.user());
        m.put("registered", d.registered());
        m.put("contact", d.contact());
        m.put("source", d.source());
        m.put("expires_in_s", d.expiresInS());
        m.put("reachable", d.reachable());
        m.put("user_agent", d.userAgent());
        // a device whose address is banned (e.g. after wrong passwords) is locked out until the ban ends
        m.put("banned", banned);
        return m;
    }
}
