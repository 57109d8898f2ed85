package io.voiceorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.voiceorder.cli.system.LiveSystem;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fault matrix, "serve connection lost mid-call" (bridge.md §5.6, §11 item 24): a real serve process (the packaged
 * jar) is killed with SIGKILL while the bridge holds seconds of its speech. The bridge plays what it buffered, then
 * sends BYE; the call record and the status callback (WireMock) say {@code completed} with {@code ws-lost}; the
 * bridge's {@code /metrics} counts a lost stream and its log says so with the call sid.
 */
class FaultServeLostMidCallTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The greeting: 8 s of speech, sent by the fake four times faster than real time, so it queues up in the bridge. */
    private static final int SPEECH_MS = 8_000;

    @TempDir
    Path dir;

    private WireMockServer callbacks;

    @BeforeEach
    void start() {
        assumeTrue(LiveSystem.peersAvailable(), "kamailio, sipp or the packaged jar is missing (.ci/run installs the"
                + " first two; failsafe runs after package): skipped");
        callbacks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        callbacks.start();
        callbacks.stubFor(post(urlEqualTo("/status")).willReturn(aResponse().withStatus(204)));
    }

    @AfterEach
    void stop() {
        if (callbacks != null) {
            callbacks.stop();
        }
    }

    @Test
    void theBridgePlaysWhatItBufferedThenHangsUpWithWsLost() throws Exception {
        try (FakeRealtimeServer openai = FakeRealtimeServer.start()) {
            openai.script().say(Ulaw.tone(300, SPEECH_MS, 0.2), "Pizzeria Da Marco bonjour, …");
            try (LiveSystem system = LiveSystem.start(dir, openai, Map.of(), List.of("--status-callback-url",
                    callbacks.baseUrl() + "/status"));
                 Sipp caller = system.call("uac-listen.xml", "caller")) {
                FakeRealtimeSession session = openai.awaitSession(0, WAIT);
                // The whole greeting has left the fake; serve relays as it arrives: most of it waits in the bridge.
                await().atMost(WAIT).until(() -> session.sentEvents().stream()
                        .anyMatch(e -> e.path("type").asText().equals("response.output_audio.done")));
                Thread.sleep(300);
                system.serve.kill();
                Instant killed = Instant.now();

                assertThat(caller.awaitExit(WAIT.toMillis())).as("the caller got a BYE: %s", caller.output()).isZero();
                Instant bye = caller.trace().stream()
                        .filter(m -> m.received() && m.isRequest("BYE")).findFirst().orElseThrow().at();
                // At the kill at most ~2.5 s of the 8 s had played: the BYE follows the rest of the buffered speech.
                assertThat(Duration.between(killed, bye)).as("kill → BYE").isGreaterThan(Duration.ofSeconds(2));

                await().atMost(Duration.ofSeconds(10)).until(() -> system.bridgeJson("/api/calls").get(0).path("status")
                        .asText().equals("completed"));
                JsonNode call = system.bridgeJson("/api/calls").get(0);
                assertThat(call.path("endReason").asText()).isEqualTo("ws-lost");
                String sid = call.path("sid").asText();

                await().atMost(Duration.ofSeconds(10)).until(() -> completedCallbacks().size() == 1);
                JsonNode completed = completedCallbacks().get(0);
                assertThat(completed.path("status").asText()).isEqualTo("completed");
                assertThat(completed.path("endReason").asText()).isEqualTo("ws-lost");
                assertThat(completed.path("sid").asText()).isEqualTo(sid);

                assertThat(system.bridge.metrics()).contains("voiceorder_bridge_ws_disconnects_total{reason=\"lost\"} 1.0");
                // The call's RTP ports go back to the pool once its media leg has closed.
                await().atMost(Duration.ofSeconds(10)).until(() -> system.bridgeJson("/health").path("rtp_ports").path("in_use")
                        .asInt() == 0);
                assertThat(system.bridgeLog()).containsPattern("(?m)^.*" + sid + ".*stream to serve lost: BYE.*$");
            }
        }
    }

    private List<JsonNode> completedCallbacks() {
        return callbacks.findAll(postRequestedFor(urlEqualTo("/status"))).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(b -> b.path("event").asText().equals("completed")).toList();
    }
}
