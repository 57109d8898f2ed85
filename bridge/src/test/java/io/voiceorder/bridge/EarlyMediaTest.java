package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.sip.SippTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outbound call whose callee sends early media (183 with SDP and 2 s of RTP before its 200), through kamailio.
 * Covers §11 item 32 and bridge.md §5.5 steps 5 and 7: the call is {@code ringing} on the 183, no WebSocket is opened
 * before the 200, and the stream (direction {@code outbound}) starts after it, carrying the callee's audio.
 */
@RequiresPeers({KAMAILIO, SIPP})
class EarlyMediaTest {
    private static final int EARLY_MEDIA_MS = 2000;

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
    void noWebSocketBeforeThe200AndTheStreamStartsAfterIt() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp callee = Sipp.callee("uas-early-media.xml", harness.calleePort, Map.of(), EARLY_MEDIA_MS, dir.resolve("callee"))) {
            HttpResponse<String> placed = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String sid = ServeStandIn.parse(placed.body()).path("sid").asText();

            await().atMost(Duration.ofSeconds(5)).until(() -> status(sid).equals("ringing"));
            assertThat(harness.serve.upgradePaths()).as("early media opens no stream").isEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> status(sid).equals("active"));
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.serve.streams().size() == 1
                    && harness.serve.streams().get(0).stream().anyMatch(m -> m.contains("\"media\"")));

            Instant earlyMedia = sent(callee, 183);
            Instant answer = sent(callee, 200);
            assertThat(Duration.between(earlyMedia, answer)).isGreaterThanOrEqualTo(Duration.ofMillis(EARLY_MEDIA_MS - 100));
            assertThat(harness.serve.upgradeTimes()).hasSize(1);
            assertThat(harness.serve.upgradeTimes().get(0)).as("the WebSocket opens after the 200 left the callee")
                    .isAfterOrEqualTo(answer);
            JsonNode start = ServeStandIn.parse(harness.serve.streams().get(0).get(1));
            assertThat(start.path("event").asText()).isEqualTo("start");
            assertThat(start.path("start").path("customParameters").path("direction").asText()).isEqualTo("outbound");

            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(callee.awaitExit(15_000)).as(callee.output()).isZero();
        }
    }

    private String status(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body()).path("status").asText();
    }

    private static Instant sent(Sipp sipp, int status) {
        return sipp.trace().stream().filter(m -> !m.received() && m.isResponse(status)).map(SippTrace.Message::at)
                .findFirst().orElseThrow(() -> new AssertionError("sipp sent no " + status + ": " + sipp.messages()));
    }
}
