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
import java.time.Instant;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * serve accepts the stream and then stops reading its socket (sipp caller → kamailio → bridge → stalled serve).
 * Covers bridge.md §7.4 "a socket that has not drained for 5 s": the stream is over, the call is hung up with BYE
 * (the drain watchdog of {@code StreamConnection}, checked on every pacer tick), {@code endReason} {@code ws-lost},
 * status {@code completed}; never before 5 s of stalled writing, i.e. not sooner than 5 s after the answer.
 */
@RequiresPeers({KAMAILIO, SIPP})
class ServeNotDrainingTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;
    private StalledServe serve;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aServeThatStopsReadingIsTreatedAsLostAndTheCallIsHungUp() throws Exception {
        serve = new StalledServe();
        harness = BridgeHarness.start(dir, Map.of("WS_TARGET", serve.url()));

        try (Sipp caller = Sipp.caller("uac-wait-bye.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(60_000)).as(caller.output()).isZero();
            Instant answered = at(caller, true, "SIP/2.0 200");
            Instant bye = at(caller, true, "BYE ");
            assertThat(Duration.between(answered, bye)).as("the watchdog waits 5 s of undrained writes")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        }

        assertThat(serve.upgrades()).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("endReason").asText()).isEqualTo("ws-lost");
    }

    private static Instant at(Sipp sipp, boolean received, String firstLine) {
        return sipp.trace().stream().filter(m -> m.received() == received && m.firstLine().startsWith(firstLine))
                .map(SippTrace.Message::at).findFirst()
                .orElseThrow(() -> new AssertionError("no " + firstLine + " in " + sipp.messages()));
    }
}
