package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.sip.SippTrace;
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
 * The bridge with {@code --sip-transport tcp} against kamailio listening on TCP, and a sipp caller over TCP.
 * Covers bridge.md §2.1 {@code --sip-transport} (tcp URIs carry {@code ;transport=tcp}) and §5.1 (REGISTER over TCP,
 * Contact with {@code ;transport=tcp}, the advertised port stays the listening port), and an inbound call (§5.4) whose
 * every leg is TCP: sipp → kamailio → bridge, routed by kamailio to the registered TCP Contact.
 */
@RequiresPeers({KAMAILIO, SIPP})
class TcpTransportTest {
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
    void registersOverTcpAndAnInboundTcpCallReachesTheRegisteredTcpContact() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("SIP_TRANSPORT", "tcp"));
        JsonNode registration = harness.health().path("registrations").get(0);
        assertThat(registration.path("state").asText()).isEqualTo("registered");
        assertThat(harness.health().path("sip").path("advertised").asText()).as("rport of a TCP connection is not a NAT binding")
                .isEqualTo("127.0.0.1:" + harness.bridge.sipPort());

        try (Sipp caller = Sipp.callerOverTcp("uac-pcap.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            SippTrace.Message answer = caller.trace().stream().filter(m -> m.received() && m.isResponse(200)
                    && m.headers("CSeq").contains("1 INVITE")).findFirst().orElseThrow();
            assertThat(answer.headers("Contact")).singleElement().asString()
                    .contains("@127.0.0.1:" + harness.bridge.sipPort() + ";transport=tcp");
            assertThat(answer.headers("Via")).allMatch(via -> via.startsWith("SIP/2.0/TCP"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(call.path("media").path("rtpIn").asLong()).isPositive();
        assertThat(harness.serve.streams()).hasSize(1);
        assertThat(harness.health().path("registrations").get(0).path("state").asText()).isEqualTo("registered");
    }
}
