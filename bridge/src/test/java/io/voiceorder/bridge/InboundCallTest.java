package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Inbound calls end to end on loopback: sipp caller → kamailio (trunk) → bridge → serve stand-in. */
@RequiresPeers({KAMAILIO, SIPP})
class InboundCallTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private Sipp call(String scenario, Map<String, String> keys) throws Exception {
        return Sipp.caller(scenario, harness.kamailio.domain(), BridgeHarness.USER, keys, dir.resolve("sipp"));
    }

    @Test
    void aCallThroughTheTrunkStreamsTwilioMessagesAndTheCallerHangsUp() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        assertThat(harness.health().path("registrations").get(0).path("state").asText()).isEqualTo("registered");
        harness.serve.onStart((ws, start) -> {
            byte[] audio = new byte[8000];
            Arrays.fill(audio, (byte) 0x55);
            ServeStandIn.sendAudio(ws, start.path("streamSid").asText(), audio);
            ws.send("{\"event\":\"mark\",\"streamSid\":\"" + start.path("streamSid").asText() + "\",\"mark\":{\"name\":\"m1\"}}");
        });

        try (Sipp caller = call("uac-pcap.xml", Map.of("caller", "0145678901"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            String answer = caller.messages().substring(caller.messages().indexOf("SIP/2.0 200 OK"));
            assertThat(answer).contains("m=audio ").contains(" RTP/AVP 8 101").contains("a=rtpmap:101 telephone-event/8000")
                    .contains("a=ptime:20").doesNotContain("PCMU").contains("Server: VoiceOrder-Bridge");
            assertThat(caller.messages()).contains("SIP/2.0 100").contains("SIP/2.0 180");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("direction").asText()).isEqualTo("inbound");
        assertThat(call.path("source").asText()).isEqualTo("trunk");
        assertThat(call.path("from").asText()).isEqualTo("+33145678901");
        assertThat(call.path("to").asText()).isEqualTo("+33972360682");
        assertThat(call.path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(call.path("media").path("rtpIn").asLong()).isPositive();
        assertThat(call.path("media").path("rtpOut").asLong()).isPositive();

        List<List<String>> streams = harness.serve.streams();
        assertThat(streams).hasSize(1);
        List<String> messages = streams.get(0);
        await().atMost(Duration.ofSeconds(3)).until(() -> harness.serve.streams().get(0).stream()
                .anyMatch(m -> m.contains("\"stop\"")));
        messages = harness.serve.streams().get(0);
        assertThat(MediaStreamValidator.bridge().check(messages)).isEmpty();
        JsonNode start = ServeStandIn.parse(messages.get(1));
        String sid = call.path("sid").asText();
        assertThat(start.path("streamSid").asText()).isEqualTo(sid);
        assertThat(start.path("start").path("callSid").asText()).isEqualTo(sid);
        assertThat(start.path("start").path("accountSid").asText()).matches("AC[0-9a-f]{32}");
        JsonNode params = start.path("start").path("customParameters");
        assertThat(params.path("callerPhone").asText()).isEqualTo("+33145678901");
        assertThat(params.path("direction").asText()).isEqualTo("inbound");
        assertThat(params.path("to").asText()).isEqualTo("+33972360682");
        assertThat(params.path("restaurantId").asText()).isEqualTo("r1");
        assertThat(params.has("callSid")).isFalse();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("\"dtmf\"").contains("\"digit\":\"1\""));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("\"mark\"").contains("m1"));
        assertThat(ServeStandIn.parse(messages.get(messages.size() - 1)).path("event").asText()).isEqualTo("stop");

        String metrics = harness.get("/metrics").body();
        assertThat(metrics).contains("voiceorder_bridge_calls_total{direction=\"inbound\",source=\"trunk\",status=\"completed\"} 1.0")
                .contains("voiceorder_bridge_registration_up{registrar=\"127.0.0.1\"} 1.0")
                .contains("voiceorder_bridge_rtp_packets_total{direction=\"in\"}")
                .contains("voiceorder_bridge_ws_connects_total{result=\"ok\"}")
                .contains("voiceorder_bridge_pacer_gap_ms_bucket{le=\"20.0\"}").contains("voiceorder_bridge_pacer_gap_ms_count ")
                .doesNotContain(sid).doesNotContain("+33145678901");
    }

    @Test
    void aDigitInSipInfoReachesServeAsDtmf() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = call("uac-info-dtmf.xml", Map.of("caller", "0145678901"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(3)).until(() -> harness.serve.streams().get(0).stream()
                .anyMatch(m -> m.contains("\"stop\"")));
        List<String> messages = harness.serve.streams().get(0);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("\"dtmf\"").contains("\"digit\":\"5\""));
        assertThat(MediaStreamValidator.bridge().check(messages)).isEmpty();
    }

    @Test
    void reInvitesForHoldAndResumeAreAnsweredOnTheSameStream() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = call("uac-reinvite.xml", Map.of("caller", "0145678901"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        assertThat(harness.serve.upgradePaths()).as("a re-INVITE never opens a second WebSocket").hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("caller-hangup");
    }

    @Test
    void aDelayedOfferIsOfferedInThe200AndAnsweredInTheAck() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = call("uac-delayed-offer.xml", Map.of("caller", "0145678901"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(call.path("media").path("rtpIn").asLong()).isPositive();
        assertThat(MediaStreamValidator.bridge().check(harness.serve.streams().get(0))).isEmpty();
    }

    @Test
    void serveClosingTheStreamHangsUpWithBye() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        harness.serve.onStart((ws, start) -> {
            byte[] audio = new byte[4000];
            Arrays.fill(audio, (byte) 0x55);
            ServeStandIn.sendAudio(ws, start.path("streamSid").asText(), audio);
            new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ignored) {
                    return;
                }
                ws.close(1000);
            }).start();
        });

        try (Sipp caller = call("uac-wait-bye.xml", Map.of("caller", "0145678901"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("app-hangup");
    }

    @Test
    void anInviteFromAnUnknownSourceGets403AndNothingElse() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp stranger = Sipp.callerFrom("127.0.0.2", "uac-refused.xml", "127.0.0.1:" + harness.bridge.sipPort(),
                BridgeHarness.USER, Map.of("caller", "0145678901", "expect", "403", "codec", "8"), dir.resolve("stranger"))) {
            assertThat(stranger.awaitExit(20_000)).as(stranger.output()).isZero();
        }

        assertThat(harness.serve.upgradePaths()).isEmpty();
        assertThat(harness.calls()).isEmpty();
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_invites_refused_total{reason=\"policy\"} 1.0");
    }

    @Test
    void anOfferWithoutG711Gets488AndNoStream() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = call("uac-refused.xml", Map.of("caller", "0145678901", "expect", "488", "codec", "18"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }

        assertThat(harness.serve.upgradePaths()).isEmpty();
        assertThat(harness.calls()).isEmpty();
    }
}
