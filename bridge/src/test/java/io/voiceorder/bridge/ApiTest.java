package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.call.CallTimings;
import io.voiceorder.bridge.config.BridgeConfigParser;
import io.voiceorder.bridge.sip.SipTimings;
import io.voiceorder.fixtures.sip.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST API without calls: auth, loopback-only binding, /health, JSON errors, size limit, /metrics. */
class ApiTest {
    private static final String TOKEN = "api-token-5b1e0f9c2d7a4e18";
    private static final String PASSWORD = "trunk-pass-never-shown";

    private BridgeServer bridge;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private void start(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>();
        vars.put("SIP_USERNAME", "0033972360682");
        vars.put("SIP_PASSWORD", PASSWORD);
        vars.put("SIP_DOMAIN", "127.0.0.1:" + FreePorts.udpAndTcp());
        vars.put("SIP_BIND_ADDRESS", "127.0.0.1");
        vars.put("BRIDGE_API_PORT", String.valueOf(FreePorts.udpAndTcp()));
        int rtp = FreePorts.evenUdpPair();
        vars.put("RTP_PORTS", rtp + "-" + (rtp + 20));
        vars.putAll(extra);
        bridge = BridgeServer.start(BridgeConfigParser.parse(vars, List.of(), List.of()), SipTimings.standard(),
                CallTimings.standard(), List.of(Duration.ofMillis(100)));
    }

    private HttpResponse<String> get(String host, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + bridge.apiPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withATokenApiAndMetricsNeedItAndHealthDoesNot() throws Exception {
        start(Map.of("BRIDGE_API_TOKEN", TOKEN, "BRIDGE_API_BIND", "127.0.0.1"));

        HttpResponse<String> none = get("127.0.0.1", "/api/calls", null);
        HttpResponse<String> wrong = get("127.0.0.1", "/api/calls", "not-the-token-at-all");
        HttpResponse<String> right = get("127.0.0.1", "/api/calls", TOKEN);
        HttpResponse<String> metrics = get("127.0.0.1", "/metrics", null);
        HttpResponse<String> health = get("127.0.0.1", "/health", null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(ServeStandIn.parse(none.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("[]");
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).doesNotContain(TOKEN).doesNotContain(PASSWORD);
        assertThat(get("127.0.0.1", "/metrics", TOKEN).body()).contains("voiceorder_bridge_registration_up");
    }

    @Test
    void withoutATokenTheApiListensOnLoopbackOnly() throws Exception {
        start(Map.of());

        assertThat(get("127.0.0.1", "/api/calls", null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", bridge.apiPort()), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void healthShowsTheRegistrationAndTheShapeOfTheOriginalBridge() throws Exception {
        start(Map.of("RESTAURANT_ID", "r1"));

        JsonNode health = ServeStandIn.parse(get("127.0.0.1", "/health", null).body());

        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("sip_registered").asBoolean()).isFalse();
        assertThat(health.path("sip_account").asText()).isEqualTo("0033972360682@127.0.0.1");
        assertThat(health.path("ws_target").asText()).isEqualTo("ws://localhost:5050/media-stream");
        assertThat(health.path("active_calls").asInt()).isZero();
        assertThat(health.path("max_concurrent_calls").asInt()).isEqualTo(10);
        assertThat(health.path("account_sid").asText()).matches("AC[0-9a-f]{32}");
        assertThat(health.path("audio").path("ec_enabled").asBoolean()).isFalse();
        assertThat(health.path("registrations").get(0).path("aor").asText()).isEqualTo("sip:0033972360682@127.0.0.1");
        assertThat(health.path("registrations").get(0).path("state").asText()).isIn("registering", "failed");
        assertThat(health.path("rtp_ports").path("in_use").asInt()).isZero();
        assertThat(health.path("sip").path("transport").asText()).isEqualTo("udp");
        assertThat(health.path("sip").path("advertised").asText()).startsWith("127.0.0.1:");
        assertThat(health.path("sip").path("advertised_from").asText()).isEqualTo("local");
    }

    @Test
    void errorsAreJsonWithAReason() throws Exception {
        start(Map.of());

        HttpResponse<String> unknown = get("127.0.0.1", "/api/calls/0b7c1b1e-0000-4000-8000-000000000000", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ServeStandIn.parse(unknown.body()).path("error").asText()).isEqualTo("not_found");

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort()
                + "/api/calls")).POST(HttpRequest.BodyPublishers.ofString("to=+33612345678")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(ServeStandIn.parse(notJson.body()).path("message").asText()).contains("JSON");

        HttpResponse<String> reserved = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort()
                + "/api/calls")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+33612345678\",\"customParams\":{\"callSid\":\"x\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(ServeStandIn.parse(reserved.body()).path("message").asText()).contains("reserved");

        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.apiPort()
                + "/api/calls")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + "1".repeat(70_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
    }
}
