package io.voiceorder.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.voiceorder.bridge.callback.CallbackEvents;
import io.voiceorder.bridge.sip.RegistrationEvents;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bridge's Prometheus series (bridge.md §10.2, prefix {@code voiceorder_bridge_}). No label ever holds a
 * phone number or a sid.
 */
public final class BridgeMetrics implements RegistrationEvents, CallbackEvents {
    private static final String P = "voiceorder_bridge_";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger registrationUp = new AtomicInteger();
    private final AtomicInteger inbound = new AtomicInteger();
    private final AtomicInteger outbound = new AtomicInteger();

    public BridgeMetrics(String registrar) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        Gauge.builder(P + "registration_up", registrationUp, AtomicInteger::get).tag("registrar", registrar).register(registry);
        Gauge.builder(P + "calls_active", inbound, AtomicInteger::get).tag("direction", "inbound").register(registry);
        Gauge.builder(P + "calls_active", outbound, AtomicInteger::get).tag("direction", "outbound").register(registry);
        Gauge.builder(P + "devices_registered", () -> 0).register(registry);
        for (String result : new String[] {"ok", "auth_failed", "timeout", "error"}) {
            Counter.builder(P + "registrations_total").tag("result", result).register(registry);
        }
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

    public void sipDropped(String reason) {
        registry.counter(P + "sip_dropped_total", "reason", reason).increment();
    }

    public void wsConnect(String result) {
        registry.counter(P + "ws_connects_total", "result", result).increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
