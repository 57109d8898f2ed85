package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.sip.SipTimings;
import io.voiceorder.bridge.support.LogLines;
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
 * Fault matrix, "registrar unreachable / restarts" (bridge.md §5.1): the real kamailio is stopped, then started
 * again on the same port. Meanwhile {@code /health} shows the registration {@code failed} (status {@code degraded}), the
 * {@code registration_up} gauge is 0 and the failure is logged; once kamailio is back the bridge, retrying with
 * backoff, is registered again within 30 s, and a call through the trunk reaches it.
 */
@RequiresPeers({KAMAILIO, SIPP})
class FaultRegistrarRestartTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private JsonNode registration() throws Exception {
        return harness.health().path("registrations").get(0);
    }

    @Test
    void whileTheRegistrarIsDownHealthShowsFailedAndWithin30sOfItsReturnTheBridgeIsRegisteredAgain() throws Exception {
        try (LogLines logs = new LogLines()) {
            // A fast keepalive notices the registrar's absence in about a second instead of half a minute.
            harness = BridgeHarness.start(dir, Map.of(), SipTimings.standard().withKeepalive(Duration.ofMillis(500),
                    Duration.ofMillis(400)));
            assertThat(registration().path("state").asText()).isEqualTo("registered");
            assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_registration_up{registrar=");
            Thread.sleep(1200); // the registrar has answered keepalives before it goes down

            harness.kamailio.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> registration().path("state").asText().equals("failed"));
            JsonNode health = harness.health();
            assertThat(health.path("status").asText()).isEqualTo("degraded");
            assertThat(health.path("sip_registered").asBoolean()).isFalse();
            assertThat(registration().path("last_error").asText()).isNotEmpty();
            assertThat(health.path("last_error").path("message").asText()).isNotEmpty();
            assertThat(metric("voiceorder_bridge_registration_up")).isEqualTo(0.0);
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN trunk registration failed:") && l.contains("retrying in"));
            // A few failed attempts on the backoff (1, 2, 4 s …); not much longer: on a shared machine another program
            // may take kamailio's free port meanwhile.
            Thread.sleep(5_000);
            assertThat(registration().path("state").asText()).isEqualTo("failed");

            harness.kamailio.restart();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> registration().path("state").asText().equals("registered"));
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThanOrEqualTo(Duration.ofSeconds(30));
            health = harness.health();
            assertThat(health.path("sip_registered").asBoolean()).isTrue();
            assertThat(health.path("status").asText()).isEqualTo("ok");
            JsonNode cleared = registration().path("last_error");
            assertThat(cleared.isNull() || cleared.isMissingNode()).as("last_error cleared: %s", cleared).isTrue();
            assertThat(metric("voiceorder_bridge_registration_up")).isEqualTo(1.0);
            assertThat(metric("voiceorder_bridge_registrations_total{result=\"ok\"}")).isGreaterThanOrEqualTo(2.0);
        }

        // The restarted registrar knows where the bridge is again: a call through the trunk is answered.
        try (Sipp caller = Sipp.caller("uac-pcap.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().size() == 1
                && harness.calls().get(0).path("status").asText().equals("completed"));
    }

    /** The value of the first series whose line starts with {@code prefix} (a name, or a name and labels). */
    private double metric(String prefix) throws Exception {
        for (String line : harness.get("/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + prefix);
    }
}
