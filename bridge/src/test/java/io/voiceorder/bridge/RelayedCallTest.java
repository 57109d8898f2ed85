package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.Coturn;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** bridge.md §11 item 42 end to end: sipp caller → kamailio → bridge, the call's RTP relayed by coturn. */
@RequiresPeers({KAMAILIO, SIPP})
class RelayedCallTest {
    @TempDir
    Path dir;

    private Coturn coturn;
    private BridgeHarness harness;

    @BeforeEach
    void requirePeers() throws Exception {
        coturn = Coturn.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void withTurnTheAnswerCarriesTheRelayedAddressAndAudioFlowsBothWaysThroughCoturn() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("TURN_SERVER", "127.0.0.1:" + coturn.port,
                "TURN_USERNAME", Coturn.USER, "TURN_PASSWORD", coturn.password));
        harness.serve.onStart((ws, start) -> {
            byte[] audio = new byte[8000];
            Arrays.fill(audio, (byte) 0x55);
            ServeStandIn.sendAudio(ws, start.path("streamSid").asText(), audio);
        });

        try (Sipp caller = Sipp.caller("uac-pcap.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));
            JsonNode active = harness.calls().get(0);
            assertThat(active.path("media").path("relayed").asBoolean()).isTrue();
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            String answer = caller.messages().substring(caller.messages().indexOf("SIP/2.0 200 OK"));
            Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(answer);
            assertThat(m.find()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isBetween(coturn.relayMin, coturn.relayMax);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("media").path("relayed").asBoolean()).isTrue();
        assertThat(call.path("media").path("rtpIn").asLong()).as("caller's RTP through the relay").isPositive();
        assertThat(call.path("media").path("rtpOut").asLong()).as("bridge's RTP through the relay").isPositive();
        assertThat(harness.serve.streams().get(0)).anySatisfy(msg -> assertThat(msg).contains("\"media\""));
    }
}
