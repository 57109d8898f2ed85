package io.voiceorder.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.voiceorder.bridge.callback.CallbackEvents;
import io.voiceorder.bridge.guard.GuardEvents;
import io.voiceorder.bridge.guard.GuardVerdict;
import io.voiceorder.bridge.media.MediaEngineStats;
import io.voiceorder.bridge.sip.RegistrationEvents;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The bridge's Prometheus series (bridge.md §10.2, prefix {@code voiceorder_bridge_}). No label ever holds a
 * phone number or a sid.
 */
public final class BridgeMetrics implements RegistrationEvents, CallbackEvents, GuardEvents {
    private static final String P = "voiceorder_bridge_";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger registrationUp = new AtomicInteger();
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger outbound = new AtomicInteger();
    private volatile Supplier<MediaEngineStats> mediaStats;
    private volatile java.util.function.IntSupplier devicesRegistered = () -> 0;

    public BridgeMetrics(String registrar) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder(P + "registration_up", registrationUp, AtomicInteger::get).tag("registrar", registrar).register(registry);
        Gauge.builder(P + "calls_active", inbound, AtomicInteger::get).tag("direction", "inbound").register(registry);
        Gauge.builder(P + "calls_active", outbound, AtomicInteger::get).tag("direction", "outbound").register(registry);
        Gauge.builder(P + "devices_registered", () -> devicesRegistered.getAsInt()).register(registry);
        for (String result : new String[] {"ok", "auth_failed", "timeout", "error"}) {
            Counter.builder(P + "registrations_total").tag("result", result).register(registry);
        }
        for (String reason : new String[] {"oversize", "malformed", "banned", "scanner", "rate_limited"}) {
            Counter.builder(P + "sip_dropped_total").tag("reason", reason).register(registry);
        }
    }

    /** The number of devices with a current binding, read at each scrape. */
    public void bindDevices(java.util.function.IntSupplier registered) {
        this.devicesRegistered = registered;
    }

    /** The media side's process-wide counters, read at each scrape. */
    public void bindMedia(Supplier<MediaEngineStats> stats) {
        this.mediaStats = stats;
        counter("rtp_packets_total", stats, s -> s.rtpPacketsIn(), "direction", "in");
        counter("rtp_packets_total", stats, s -> s.rtpPacketsOut(), "direction", "out");
        counter("rtp_lost_total", stats, MediaEngineStats::rtpLost);
        counter("rtp_late_total", stats, MediaEngineStats::rtpLate);
        counter("rtp_foreign_total", stats, MediaEngineStats::rtpForeign);
        counter("plc_frames_total", stats, MediaEngineStats::plcFrames);
        counter("underflow_frames_total", stats, MediaEngineStats::underflowFrames);
        counter("pacer_missed_ticks_total", stats, MediaEngineStats::pacerMissedTicks);
        counter("marks_echoed_total", stats, MediaEngineStats::marksEchoed);
        counter("clears_total", stats, MediaEngineStats::clears);
        counter("audio_discarded_ms_total", stats, MediaEngineStats::audioDiscardedMs);
        counter("dtmf_total", stats, MediaEngineStats::dtmfIn, "direction", "in");
        counter("dtmf_total", stats, MediaEngineStats::dtmfOut, "direction", "out");
        for (String result : new String[] {"ok", "refused", "timeout", "rejected"}) {
            counter("ws_connects_total", stats, s -> valueOf(s.wsConnects(), result), "result", result);
        }
        for (String reason : new String[] {"normal", "lost", "oversize"}) {
            counter("ws_disconnects_total", stats, s -> valueOf(s.wsDisconnects(), reason), "reason", reason);
        }
        for (String reason : new String[] {"malformed", "unknown_event", "bad_payload", "wrong_stream"}) {
            counter("ws_messages_dropped_total", stats, s -> valueOf(s.wsMessagesDropped(), reason), "reason", reason);
        }
        Gauge.builder(P + "rtp_ports_in_use", () -> stats.get().rtpPortsInUse()).register(registry);
        Gauge.builder(P + "pacer_realtime", () -> stats.get().pacerRealtime() ? 1 : 0)
                .description("1 when the RTP pacing thread runs in the real-time scheduling class").register(registry);
    }

    private void counter(String name, Supplier<MediaEngineStats> stats, ToLongFunction<MediaEngineStats> value, String... tags) {
        FunctionCounter.builder(P + name, stats, s -> value.applyAsLong(s.get())).tags(tags).register(registry);
    }

    private static long valueOf(java.util.Map<String, Long> counts, String key) {
        Long v = counts == null ? null : counts.get(key);
        return v == null ? 0 : v;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void onOutcome(String result) {
        registry.counter(P + "registrations_total", "result", result).increment();
    }

    @Override
    public void onRegistered(boolean up) {
        registrationUp.set(up ? 1 : 0);
    }

    @Override
    public void onCallback(String kind, String result) {
        registry.counter(P + "callbacks_total", "kind", kind, "result", result).increment();
    }

    public void callStarted(String direction) {
        (direction.equals("inbound") ? inbound : outbound).incrementAndGet();
    }

    public void callEnded(String direction, String source, String status) {
        (direction.equals("inbound") ? inbound : outbound).decrementAndGet();
        registry.counter(P + "calls_total", "direction", direction, "source", source, "status", status).increment();
    }

    /** @param reason policy, scanner, rate_limited, banned, busy, codec, ws_unreachable, callback_reject, no_rtp_port, shutdown */
    public void inviteRefused(String reason) {
        registry.counter(P + "invites_refused_total", "reason", reason).increment();
    }

    /** @param reason prefix, hourly_cap */
    public void outboundRefused(String reason) {
        registry.counter(P + "outbound_refused_total", "reason", reason).increment();
    }

    /** @param method refer, bridge; @param result succeeded, failed, refused (a REFER answered ≥ 300 or not at all) */
    public void transfer(String method, String result) {
        registry.counter(P + "transfers_total", "method", method, "result", result).increment();
    }

    public void sipDropped(String reason) {
        registry.counter(P + "sip_dropped_total", "reason", reason).increment();
    }

    @Override
    public void dropped(GuardVerdict verdict, boolean invite) {
        sipDropped(verdict.reason());
        if (invite && verdict.refusesInvite()) {
            inviteRefused(verdict.reason());
        }
    }

    public void wsConnect(String result) {
        registry.counter(P + "ws_connects_total", "result", result).increment();
    }

    /** Micrometer's series, then the media side's own histograms {@code pacer_gap_ms} and {@code rtp_jitter_ms}. */
    public String scrape() {
        StringBuilder out = new StringBuilder(registry.scrape());
        Supplier<MediaEngineStats> stats = mediaStats;
        if (stats != null) {
            MediaEngineStats s = stats.get();
            PrometheusHistogramText.append(out, P + "pacer_gap_ms", "Gap between consecutive RTP packets of a call sent by the pacer",
                    s.pacerGapMs());
            PrometheusHistogramText.append(out, P + "rtp_jitter_ms", "Interarrival jitter of each call's RTP, sampled every 5 s",
                    s.rtpJitterMs());
        }
        return out.toString();
    }
}
