package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Baresip;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.BARESIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** baresip as a real softphone in the HT841's place: registers to the bridge, calls in, reaches serve. */
@RequiresPeers({BARESIP})
class BaresipGatewayTest {
    private static final String DEVICE = "ht841";
    private static final String PASSWORD = "gw-pass-5d1c";

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void baresipRegistersAsTheDeviceAndItsCallReachesServe() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        try (Baresip phone = Baresip.start(DEVICE, PASSWORD, harness.sipTarget(), dir.resolve("baresip"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> harness.device(DEVICE).path("registered").asBoolean());
            JsonNode d = harness.device(DEVICE);
            assertThat(d.path("source").asText()).isEqualTo("127.0.0.1:" + phone.sipPort());
            assertThat(d.path("user_agent").asText()).containsIgnoringCase("baresip");

            phone.command("dial", "sip:0972360682@" + harness.sipTarget());
            await().atMost(Duration.ofSeconds(15)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().get(0).path("media").path("rtpIn").asLong() > 50);
            phone.command("hangup", "");
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
            JsonNode call = harness.calls().get(0);
            assertThat(call.path("source").asText()).isEqualTo("device");
            assertThat(call.path("device").asText()).isEqualTo(DEVICE);
            assertThat(call.path("endReason").asText()).isEqualTo("caller-hangup");
            assertThat(phone.output()).contains("Call established");
        }
        assertThat(harness.serve.streams()).hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> harness.serve.streams().get(0).stream().anyMatch(m -> m.contains("\"stop\"")));
        assertThat(harness.serve.streams().get(0)).anySatisfy(m -> assertThat(m).contains("\"media\""));
        assertThat(MediaStreamValidator.bridge().check(harness.serve.streams().get(0))).isEmpty();
    }

    @Test
    void baresipWithAWrongPasswordIsRefused() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        try (Baresip phone = Baresip.start(DEVICE, "not-the-password", harness.sipTarget(), dir.resolve("baresip"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> phone.output().contains("403"));
            assertThat(harness.device(DEVICE).path("registered").asBoolean()).isFalse();
        }
        assertThat(harness.calls()).isEmpty();
        assertThat(harness.serve.upgradePaths()).isEmpty();
    }
}
