package io.voiceorder.bridge;

import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.sip.SippTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two 200 OKs with different To tags for one outbound INVITE (forking behind kamailio, played by one sipp callee).
 * Covers bridge.md §5.5 step 8: the first 200 is the call (ACKed, streamed once); the other fork's 200 gets an ACK and
 * then a BYE on its own dialog (its To tag), and the call goes on untouched until its own BYE ends it.
 */
@RequiresPeers({KAMAILIO, SIPP})
class ForkedAnswerTest {
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
    void theFirst200IsTheCallAndTheOtherForkIsAckedThenHungUp() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp callee = Sipp.callee("uas-forked.xml", harness.calleePort, Map.of(), 0, dir.resolve("callee"))) {
            HttpResponse<String> placed = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String sid = ServeStandIn.parse(placed.body()).path("sid").asText();

            await().atMost(Duration.ofSeconds(10)).until(() -> status(sid).equals("active"));
            await().atMost(Duration.ofSeconds(10)).until(() -> callee.trace().stream()
                    .anyMatch(m -> m.received() && m.isRequest("BYE") && m.headers("To").get(0).contains("Fork2")));
            Thread.sleep(500); // the call must survive closing the other fork
            assertThat(status(sid)).isEqualTo("active");

            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(callee.awaitExit(15_000)).as(callee.output()).isZero();

            // a retransmission crossing our ACK or BYE may repeat one of them: the assertions are on order and tags
            List<SippTrace.Message> trace = callee.trace();
            List<SippTrace.Message> acks = trace.stream().filter(m -> m.received() && m.isRequest("ACK")).toList();
            assertThat(acks.get(0).headers("To").get(0)).as("the call's ACK first").contains("Fork1");
            assertThat(acks).as("every ACK is for one of the two forks")
                    .allMatch(ack -> ack.headers("To").get(0).contains("Fork1") || ack.headers("To").get(0).contains("Fork2"));
            SippTrace.Message forkAck = acks.stream().filter(ack -> ack.headers("To").get(0).contains("Fork2")).findFirst()
                    .orElseThrow(() -> new AssertionError("the second fork's 200 was not ACKed: " + trace));
            List<SippTrace.Message> byes = trace.stream().filter(m -> m.received() && m.isRequest("BYE")).toList();
            assertThat(byes).as("BYEs received").isNotEmpty();
            assertThat(byes.get(0).headers("To").get(0)).as("the other fork's BYE first").contains("Fork2");
            assertThat(byes.get(0).headers("Call-ID")).isEqualTo(acks.get(0).headers("Call-ID"));
            assertThat(trace.indexOf(byes.get(0))).as("the fork's BYE follows its ACK").isGreaterThan(trace.indexOf(forkAck));
            assertThat(byes.get(byes.size() - 1).headers("To").get(0)).as("the call's own BYE at its end").contains("Fork1");
            assertThat(byes).as("every BYE is for one of the two forks")
                    .allMatch(bye -> bye.headers("To").get(0).contains("Fork1") || bye.headers("To").get(0).contains("Fork2"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !status(sid).equals("active"));
            assertThat(ServeStandIn.parse(harness.get("/api/calls/" + sid).body()).path("endReason").asText()).isEqualTo("api-hangup");
        }
        assertThat(harness.serve.upgradePaths()).as("one stream, for the first 200").hasSize(1);
    }

    private String status(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body()).path("status").asText();
    }
}
