package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** §8.3 in bridge mode: a restaurant with automatic transfer bypasses the agent; a failed transfer brings the agent back. */
class AutomaticTransferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private WireMockServer bridge;

    @BeforeEach
    void startBridge() {
        bridge = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        bridge.start();
    }

    @AfterEach
    void stopBridge() {
        bridge.stop();
    }

    /** The sample restaurant with {@code transfer.automatic: true}. */
    private ServeHarness serve(Path dir) throws IOException {
        String sample;
        try (InputStream in = getClass().getResourceAsStream("/restaurants/sample.yaml")) {
            sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = dir.resolve("restaurant.yaml");
        Files.writeString(file, sample.replace("automatic: false", "automatic: true"));
        return ServeHarness.start(Map.of("RESTAURANT_FILE", file.toString(), "BRIDGE_URL", bridge.baseUrl()),
                CallTimings.standard(), FakeRealtimeServer.Options.defaults(), PhoneOrderTest.DINNER_TIME);
    }

    @Test
    void aSuccessfulAutomaticTransferNeverConfiguresAnOpenAiSession(@TempDir Path dir) throws Exception {
        bridge.stubFor(post(urlPathMatching("/api/calls/.+/transfer")).willReturn(okJson("{\"status\":\"transferred\"}")));
        bridge.stubFor(get(urlPathMatching("/api/calls/[^/]+")).willReturn(okJson("{\"status\":\"completed\"}")));
        try (ServeHarness h = serve(dir)) {
            TwilioStreamSimulator caller = h.call(SimulatorOptions.bridgeCall());
            await().atMost(WAIT).until(() -> !bridge.findAll(postRequestedFor(urlPathMatching("/api/calls/.+/transfer"))).isEmpty());
            String body = bridge.findAll(postRequestedFor(urlPathMatching("/api/calls/.+/transfer"))).get(0).getBodyAsString();
            assertThat(body).contains("\"destination\":\"+33612345678\"").contains("\"timeoutSec\":25").contains("\"wait\":true");
            caller.close(); // the bridge ends the stream once the caller is handed over
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("transferred");
            assertThat(call.get("transfer_target")).isEqualTo("+33612345678");
            for (FakeRealtimeSession s : h.openai.sessions()) {
                assertThat(s.eventsOfType("session.update")).isEmpty();
            }
            assertThat(caller.receivedOf("media")).isEmpty();
        }
    }

    @Test
    void aFailedAutomaticTransferStartsTheAgentWithTheTransferFailedOpening(@TempDir Path dir) throws Exception {
        bridge.stubFor(post(urlPathMatching("/api/calls/.+/transfer")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"transfer_failed\",\"transfer\":{\"method\":\"bridge\",\"sipCode\":486}}")));
        try (ServeHarness h = serve(dir); TwilioStreamSimulator caller = h.call(SimulatorOptions.bridgeCall())) {
            JsonNode[] update = new JsonNode[1];
            await().atMost(WAIT).until(() -> h.openai.sessions().stream().anyMatch(s -> {
                if (s.eventsOfType("session.update").isEmpty()) {
                    return false;
                }
                update[0] = s.eventsOfType("session.update").get(0);
                return true;
            }));
            FakeRealtimeSession session = h.openai.sessions().stream()
                    .filter(s -> !s.eventsOfType("session.update").isEmpty()).findFirst().orElseThrow();
            JsonNode cue = session.awaitEvent(e -> e.at("/item/role").asText().equals("system"), "opening cue", WAIT);
            assertThat(cue.at("/item/content/0/text").asText()).contains("Personne au restaurant");
            assertThat(update[0].at("/session/tools").findValuesAsText("name")).doesNotContain("transfer_call");
            session.awaitEvent("response.create", WAIT);
            caller.sendStop();
            caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("transfer_status")).isEqualTo("busy");
            assertThat(call.get("outcome")).isNotEqualTo("transferred");
        }
    }
}
