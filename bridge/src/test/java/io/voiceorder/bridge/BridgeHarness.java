package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.call.CallTimings;
import io.voiceorder.bridge.config.BridgeConfigParser;
import io.voiceorder.bridge.sip.SipTimings;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Kamailio;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** kamailio as the trunk, a serve stand-in, and the bridge registered to the trunk: the whole loopback setup. */
final class BridgeHarness implements AutoCloseable {
    static final String USER = "0033972360682";
    static final String PASSWORD = "trunk-pass-7f3a";
    private static final CallTimings DEFAULT_CALL_TIMINGS = new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120),
            Duration.ofSeconds(1), Duration.ofSeconds(3));

    final Kamailio kamailio;
    final ServeStandIn serve;
    final BridgeServer bridge;
    final int calleePort;
    private final HttpClient http = HttpClient.newHttpClient();

    private BridgeHarness(Kamailio kamailio, ServeStandIn serve, BridgeServer bridge, int calleePort) {
        this.kamailio = kamailio;
        this.serve = serve;
        this.bridge = bridge;
        this.calleePort = calleePort;
    }

    static BridgeHarness start(Path dir, Map<String, String> extraVars) throws Exception {
        return start(dir, extraVars, SipTimings.standard(), DEFAULT_CALL_TIMINGS);
    }

    static BridgeHarness start(Path dir, Map<String, String> extraVars, CallTimings timings) throws Exception {
        return start(dir, extraVars, SipTimings.standard(), timings);
    }

    /** As {@link #start(Path, Map)} with other SIP timings (a fast keepalive, to see a registrar go away quickly). */
    static BridgeHarness start(Path dir, Map<String, String> extraVars, SipTimings sipTimings) throws Exception {
        return start(dir, extraVars, sipTimings, DEFAULT_CALL_TIMINGS);
    }

    private static BridgeHarness start(Path dir, Map<String, String> extraVars, SipTimings sipTimings, CallTimings timings)
            throws Exception {
        int calleePort = FreePorts.udpAndTcp();
        Kamailio.Settings settings = Kamailio.defaults(USER, PASSWORD).withCalleePort(calleePort);
        Kamailio kamailio = Kamailio.start(settings, dir.resolve("kamailio"));
        ServeStandIn serve = new ServeStandIn();
        BridgeServer bridge;
        try {
            Map<String, String> vars = new HashMap<>();
            vars.put("SIP_DOMAIN", kamailio.domain());
            vars.put("SIP_USERNAME", USER);
            vars.put("SIP_PASSWORD", PASSWORD);
            vars.put("SIP_BIND_ADDRESS", "127.0.0.1");
            vars.put("WS_TARGET", serve.url());
            vars.put("BRIDGE_API_PORT", String.valueOf(FreePorts.udpAndTcp()));
            int rtp = FreePorts.evenUdpPair();
            vars.put("RTP_PORTS", Math.max(1024, rtp - 100) + "-" + Math.min(65535, rtp + 100));
            vars.put("RESTAURANT_ID", "r1");
            vars.put("LOG_LEVEL", "debug");
            vars.putAll(extraVars);
            bridge = BridgeServer.start(BridgeConfigParser.parse(vars, List.of(), List.of()), sipTimings, timings,
                    List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)));
        } catch (RuntimeException e) {
            serve.close();
            kamailio.close();
            throw e;
        }
        BridgeHarness harness = new BridgeHarness(kamailio, serve, bridge, calleePort);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.health().path("sip_registered").asBoolean());
        return harness;
    }

    String api() {
        return "http://127.0.0.1:" + bridge.apiPort();
    }

    JsonNode health() throws Exception {
        return ServeStandIn.parse(get("/health").body());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api() + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode calls() throws Exception {
        return ServeStandIn.parse(get("/api/calls").body());
    }

    @Override
    public void close() {
        bridge.close();
        serve.close();
        kamailio.close();
    }
}
