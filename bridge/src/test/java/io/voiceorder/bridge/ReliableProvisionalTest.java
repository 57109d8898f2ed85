package io.voiceorder.bridge;

import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Require:} on an inbound INVITE (sipp caller → kamailio → bridge).
 * Covers bridge.md §5.4 step 2 (an extension other than {@code replaces} → 420 with {@code Unsupported}, no record,
 * no stream) and step 4 ({@code Require: 100rel} → no 180, since the bridge sends no reliable provisionals, and the
 * call proceeds to 200 and a stream).
 */
@RequiresPeers({KAMAILIO, SIPP})
class ReliableProvisionalTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void require100relGetsNo180AndTheCallIsAnsweredAndStreamed() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = Sipp.caller("uac-require.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            assertThat(caller.messages()).contains("SIP/2.0 200 OK").doesNotContain("SIP/2.0 180").doesNotContain("RSeq");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(harness.serve.streams()).hasSize(1);
        assertThat(harness.serve.streams().get(0)).anyMatch(m -> m.contains("\"start\""));
    }

    @Test
    void anUnknownRequiredExtensionGets420NamingItAndNoCall() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        try (Sipp caller = Sipp.caller("uac-unsupported.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901", "require", "precondition"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            assertThat(caller.messages()).contains("Unsupported: precondition").doesNotContain("SIP/2.0 180");
        }

        assertThat(harness.calls()).isEmpty();
        assertThat(harness.serve.upgradePaths()).isEmpty();
    }
}
