package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status and incoming callbacks against WireMock, with real calls through kamailio. */
@RequiresPeers({KAMAILIO, SIPP})
class CallbacksTest {
    private static final String CALLBACK_SECRET = "callback-secret-4d2a";

    @TempDir
    Path dir;

    private WireMockServer web;
    private BridgeHarness harness;

    @BeforeEach
    void start() {
        web = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        web.start();
        web.stubFor(post("/status").willReturn(aResponse().withStatus(204)));
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (web != null) {
            web.stop();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + web.port() + path;
    }

    private List<JsonNode> statusEvents() {
        return web.findAll(postRequestedFor(urlEqualTo("/status"))).stream()
                .map(r -> ServeStandIn.parse(r.getBodyAsString())).toList();
    }

    private Sipp caller(String scenario, Map<String, String> keys) throws Exception {
        return Sipp.caller(scenario, harness.kamailio.domain(), BridgeHarness.USER, keys, dir.resolve("sipp"));
    }

    @Test
    void anInboundCallSendsRingingAnsweredCompletedSignedAndTheIncomingCallbackIsAskedBeforeThe200() throws Exception {
        web.stubFor(post("/incoming").willReturn(okJson("{\"action\":\"accept\",\"customParams\":{\"promo\":\"x\",\"callSid\":\"no\"}}")
                .withFixedDelay(300)));
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/status"), "INCOMING_CALLBACK_URL", url("/incoming"),
                "CALLBACK_SECRET", CALLBACK_SECRET));

        try (Sipp sipp = caller("uac-pcap.xml", Map.of("caller", "0145678901"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> statusEvents().size() == 3);
        List<JsonNode> events = statusEvents();
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("ringing", "answered", "completed");
        assertThat(events.get(2).path("status").asText()).isEqualTo("completed");
        assertThat(events.get(2).path("durationSec").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(events.get(2).path("endReason").asText()).isEqualTo("caller-hangup");

        LoggedRequest incoming = web.findAll(postRequestedFor(urlEqualTo("/incoming"))).get(0);
        JsonNode asked = ServeStandIn.parse(incoming.getBodyAsString());
        assertThat(asked.path("from").asText()).isEqualTo("+33145678901");
        assertThat(asked.path("to").asText()).isEqualTo("+33972360682");
        assertThat(asked.path("source").asText()).isEqualTo("trunk");
        assertSigned(incoming);
        web.findAll(postRequestedFor(urlEqualTo("/status"))).forEach(this::assertSigned);

        JsonNode start = ServeStandIn.parse(harness.serve.streams().get(0).get(1));
        assertThat(start.path("start").path("customParameters").path("promo").asText()).isEqualTo("x");
        assertThat(start.path("start").path("customParameters").has("callSid")).isFalse();
    }

    @Test
    void aRejectingIncomingCallbackGivesItsCodeAndNoStream() throws Exception {
        web.stubFor(post("/incoming").willReturn(okJson("{\"action\":\"reject\",\"statusCode\":603}")));
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/status"), "INCOMING_CALLBACK_URL", url("/incoming")));

        try (Sipp sipp = caller("uac-refused.xml", Map.of("caller", "0145678901", "expect", "603", "codec", "8"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }

        assertThat(harness.serve.upgradePaths()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusEvents().size() == 2);
        assertThat(statusEvents().get(1).path("status").asText()).isEqualTo("failed");
        assertThat(statusEvents().get(1).path("endReason").asText()).isEqualTo("rejected");
    }

    @Test
    void aCancelWhileTheIncomingCallbackIsPendingWinsWith487AndNoStream() throws Exception {
        web.stubFor(post("/incoming").willReturn(okJson("{\"action\":\"accept\"}").withFixedDelay(2000)));
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/status"), "INCOMING_CALLBACK_URL", url("/incoming")));

        try (Sipp sipp = caller("uac-cancel.xml", Map.of("caller", "0145678901"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> statusEvents().size() == 2);
        assertThat(statusEvents().get(1).path("status").asText()).isEqualTo("cancelled");
        assertThat(statusEvents().get(1).path("endReason").asText()).isEqualTo("cancelled-by-caller");
        Thread.sleep(2500);
        assertThat(harness.serve.upgradePaths()).as("the late accept is ignored").isEmpty();
    }

    @Test
    void anOutboundCallThatOnlyRingsSendsInitiatedRingingCompletedInOrder() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/status"), "CALLBACK_METHOD", "GET"));
        web.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/status")).willReturn(aResponse().withStatus(200)));

        try (Sipp callee = Sipp.callee("uas-ring-only.xml", harness.calleePort, Map.of(), 0, dir.resolve("callee"))) {
            assertThat(harness.post("/api/calls", "{\"to\":\"+33612345678\",\"timeoutSec\":5,"
                    + "\"customParams\":{\"purpose\":\"order-ready\"}}").statusCode()).isEqualTo(201);
            assertThat(callee.awaitExit(20_000)).as(callee.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> web.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/status"))).size() == 3);
        List<LoggedRequest> events = web.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/status")));
        assertThat(events).extracting(r -> r.queryParameter("event").firstValue())
                .containsExactly("initiated", "ringing", "completed");
        LoggedRequest completed = events.get(2);
        assertThat(completed.queryParameter("status").firstValue()).isEqualTo("no-answer");
        assertThat(completed.queryParameter("customParams.purpose").firstValue()).isEqualTo("order-ready");
        assertThat(completed.getUrl()).doesNotContain("media").doesNotContain("answeredAt");
    }

    @Test
    void aSlowIncomingCallbackUnderNoAutoAnswerGives480() throws Exception {
        web.stubFor(post("/incoming").willReturn(okJson("{\"action\":\"accept\"}").withFixedDelay(3000)));
        harness = BridgeHarness.start(dir, Map.of("INCOMING_CALLBACK_URL", url("/incoming"), "SIP_NO_AUTO_ANSWER", "true",
                "CALLBACK_TIMEOUT", "0.5"));

        try (Sipp sipp = caller("uac-refused.xml", Map.of("caller", "0145678901", "expect", "480", "codec", "8"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }
        assertThat(harness.serve.upgradePaths()).isEmpty();
    }

    @Test
    void serveUnreachableStillEndsWithACompletedFailedCallback() throws Exception {
        int closed = io.voiceorder.fixtures.sip.FreePorts.udpAndTcp();
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/status"),
                "WS_TARGET", "ws://127.0.0.1:" + closed + "/media-stream"));

        try (Sipp sipp = caller("uac-refused.xml", Map.of("caller", "0145678901", "expect", "500", "codec", "8"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> statusEvents().size() == 2);
        assertThat(statusEvents()).extracting(e -> e.path("event").asText()).containsExactly("ringing", "completed");
        assertThat(statusEvents().get(1).path("status").asText()).isEqualTo("failed");
        assertThat(web.findAll(anyRequestedFor(urlEqualTo("/incoming")))).isEmpty();
    }

    @Test
    void statusCallbacksAreRetriedThreeTimesOn5xxInOrder() throws Exception {
        web.stubFor(post("/flaky").willReturn(aResponse().withStatus(503)));
        int closed = io.voiceorder.fixtures.sip.FreePorts.udpAndTcp();
        harness = BridgeHarness.start(dir, Map.of("STATUS_CALLBACK_URL", url("/flaky"),
                "WS_TARGET", "ws://127.0.0.1:" + closed + "/media-stream"));

        try (Sipp sipp = caller("uac-refused.xml", Map.of("caller", "0145678901", "expect", "500", "codec", "8"))) {
            assertThat(sipp.awaitExit(30_000)).as(sipp.output()).isZero();
        }

        // ringing and completed, each sent once and retried 3 times (test delays 0.2, 0.4, 0.8 s), in order
        await().atMost(Duration.ofSeconds(10)).until(() -> web.findAll(postRequestedFor(urlEqualTo("/flaky"))).size() == 8);
        List<String> events = web.findAll(postRequestedFor(urlEqualTo("/flaky"))).stream()
                .map(r -> ServeStandIn.parse(r.getBodyAsString()).path("event").asText()).toList();
        assertThat(events).containsExactly("ringing", "ringing", "ringing", "ringing",
                "completed", "completed", "completed", "completed");
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_callbacks_total{kind=\"status\",result=\"failed\"} 2.0");
    }

    private void assertSigned(LoggedRequest request) {
        String header = request.getHeader("X-VoiceOrder-Signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        assertThat(v1).isEqualTo(hmac(t + "." + request.getBodyAsString()));
        assertThat(request.getHeader("User-Agent")).isEqualTo("VoiceOrder-Bridge");
    }

    private static String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CALLBACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
