package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** --max-concurrent-calls, --max-call-duration and shutdown with a live call, through kamailio. */
@RequiresPeers({KAMAILIO, SIPP})
class LimitsAndShutdownTest {
    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private Sipp caller(String scenario, Map<String, String> keys, String name) throws Exception {
        return Sipp.caller(scenario, harness.kamailio.domain(), BridgeHarness.USER, keys, dir.resolve(name));
    }

    private JsonNode onlyCall() throws Exception {
        return harness.calls().get(0);
    }

    @Test
    void beyondMaxConcurrentCallsInviteGets486AndTheApi429() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("MAX_CONCURRENT_CALLS", "1"));
        try (Sipp first = caller("uac-pcap.xml", Map.of("caller", "0145678901"), "first")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && onlyCall().path("status").asText().equals("active"));

            try (Sipp second = caller("uac-refused.xml", Map.of("caller", "0145678902", "expect", "486", "codec", "8"), "second")) {
                assertThat(second.awaitExit(20_000)).as(second.output()).isZero();
            }
            HttpResponse<String> api = harness.post("/api/calls", "{\"to\":\"+33612345678\"}");
            assertThat(api.statusCode()).isEqualTo(429);
            assertThat(ServeStandIn.parse(api.body()).path("error").asText()).isEqualTo("max_concurrent_calls");
            assertThat(harness.calls()).as("no record for the refused INVITE").hasSize(1);
            assertThat(first.awaitExit(30_000)).as(first.output()).isZero();
        }
    }

    @Test
    void maxCallDurationStopsTheStreamAndSendsBye() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("MAX_CALL_DURATION", "3"));
        try (Sipp sipp = caller("uac-wait-bye.xml", Map.of("caller", "0145678901"), "sipp")) {
            assertThat(sipp.awaitExit(20_000)).as(sipp.output()).isZero();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> onlyCall().path("status").asText().equals("completed"));
        JsonNode call = onlyCall();
        assertThat(call.path("endReason").asText()).isEqualTo("max-duration");
        Duration lasted = Duration.between(Instant.parse(call.path("answeredAt").asText()), Instant.parse(call.path("endedAt").asText()));
        assertThat(lasted).as("the limit runs from the answer").isBetween(Duration.ofMillis(2500), Duration.ofMillis(4500));
        List<String> stream = harness.serve.streams().get(0);
        assertThat(ServeStandIn.parse(stream.get(stream.size() - 1)).path("event").asText()).isEqualTo("stop");
    }

    @Test
    void shutdownHangsUpLiveCallsStopsTheirStreamsAndUnregisters() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp sipp = caller("uac-wait-bye.xml", Map.of("caller", "0145678901"), "sipp")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && onlyCall().path("status").asText().equals("active"));

            long started = System.nanoTime();
            harness.bridge.shutdown();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(sipp.awaitExit(10_000)).as(sipp.output()).isZero();
        }
        List<String> stream = harness.serve.streams().get(0);
        assertThat(ServeStandIn.parse(stream.get(stream.size() - 1)).path("event").asText()).isEqualTo("stop");
        assertThat(harness.kamailio.output()).doesNotContain(BridgeHarness.PASSWORD);
    }
}
