package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.sip.SippTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * New offers inside an established call (sipp caller → kamailio → bridge, or bridge → kamailio → sipp callee).
 * Covers bridge.md §5.4 "Re-INVITE or UPDATE": an UPDATE with a new offer is answered like a re-INVITE, on the same
 * RTP port, with a codec the new offer still contains; a re-INVITE without SDP gets the current session offered in
 * its 200, and the answer in its ACK is applied like any answer (the RTP moves to its address, latching re-armed; an
 * unusable one ends the call with a BYE, as a delayed offer's); neither opens a second WebSocket (§11 item 25, its
 * "no second WebSocket" part).
 */
@RequiresPeers({KAMAILIO, SIPP})
class ReofferTest {
    private static final Pattern AUDIO_LINE = Pattern.compile("m=audio (\\d+) RTP/AVP ([0-9 ]+)");

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
    void anUpdateAndAnOfferlessReInviteAreAnsweredOnTheSamePortWithoutASecondStream() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());

        List<SippTrace.Message> messages;
        try (Sipp caller = Sipp.caller("uac-reoffer.xml", harness.kamailio.domain(), BridgeHarness.USER,
                Map.of("caller", "0145678901"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(30_000)).as(caller.output()).isZero();
            messages = caller.trace();
        }

        String initialAnswer = received(messages, "1 INVITE");
        String updateAnswer = received(messages, "2 UPDATE");
        String reInviteOffer = received(messages, "3 INVITE");
        Matcher first = audioLine(initialAnswer);
        Matcher updated = audioLine(updateAnswer);
        Matcher offered = audioLine(reInviteOffer);
        assertThat(first.group(2)).as("PCMU preferred from PCMU and PCMA").startsWith("0 ");
        assertThat(updated.group(2)).as("the UPDATE offered PCMA only").startsWith("8 ");
        assertThat(updated.group(1)).as("same RTP port after the UPDATE").isEqualTo(first.group(1));
        assertThat(offered.group(1)).as("same RTP port in the re-INVITE's 200").isEqualTo(first.group(1));
        assertThat(offered.group(2)).as("the current session: PCMA").startsWith("8 ");
        assertThat(reInviteOffer).contains("Content-Type: application/sdp");

        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(harness.serve.upgradePaths()).as("a re-offer never opens a second WebSocket").hasSize(1);
    }

    @Test
    void theAnswerInTheAckOfAnOfferlessReInviteMovesTheRtpToItsPort() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (RtpPeer before = RtpPeer.open(); RtpPeer after = RtpPeer.open();
             Sipp caller = Sipp.caller("uac-reinvite-answer-in-ack.xml", harness.kamailio.domain(), BridgeHarness.USER,
                     Map.of("caller", "0145678901", "rtpport", String.valueOf(before.port()),
                             "newport", String.valueOf(after.port()), "answerpt", "0", "holdms", "3000", "talkms", "4000",
                             "ending", "callerbye"), dir.resolve("sipp"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                    && harness.calls().get(0).path("status").asText().equals("active"));
            String sid = harness.calls().get(0).path("sid").asText();
            int bridgePort = Integer.parseInt(call(sid).path("media").path("local").asText().replaceAll(".*:", ""));

            // the caller's RTP latches the bridge to the first port before the re-INVITE
            byte[] audio = new byte[160];
            for (int i = 0; i < 25; i++) {
                before.send(RtpPeer.rtp(0, i == 0, 100 + i, 160L * i, 0x3333, audio), bridgePort);
                Thread.sleep(20);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> fromBridge(before.received(), bridgePort) >= 10);

            await().atMost(Duration.ofSeconds(10)).until(() -> fromBridge(after.received(), bridgePort) >= 75);
            long movedAt = after.received().stream().filter(p -> p.source().getPort() == bridgePort)
                    .mapToLong(RtpPeer.Received::arrivalNanos).min().orElseThrow();
            // a packet already on its way when the answer was applied may still reach the old port; none later
            long lateToOldPort = before.received().stream()
                    .filter(p -> p.source().getPort() == bridgePort && p.arrivalNanos() > movedAt + 500_000_000L).count();
            assertThat(lateToOldPort).as("RTP to the old port after the move").isZero();
            assertThat(call(sid).path("status").asText()).isEqualTo("active");

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            String reInviteOffer = received(caller.trace(), "2 INVITE");
            assertThat(audioLine(reInviteOffer).group(1)).as("offered on the same RTP port").isEqualTo(String.valueOf(bridgePort));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("caller-hangup");
        assertThat(harness.serve.upgradePaths()).as("a re-offer never opens a second WebSocket").hasSize(1);
    }

    @Test
    void anUnusableAnswerInTheAckOfAnOfferlessReInviteEndsTheCallWithABye() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (RtpPeer before = RtpPeer.open(); RtpPeer after = RtpPeer.open();
             Sipp caller = Sipp.caller("uac-reinvite-answer-in-ack.xml", harness.kamailio.domain(), BridgeHarness.USER,
                     Map.of("caller", "0145678901", "rtpport", String.valueOf(before.port()),
                             "newport", String.valueOf(after.port()), "answerpt", "18", "holdms", "1000", "talkms", "0",
                             "ending", "bridgebye"), dir.resolve("sipp"))) {
            assertThat(caller.awaitExit(20_000)).as("the bridge's BYE follows the unusable answer: " + caller.output()).isZero();
            List<SippTrace.Message> trace = caller.trace();
            assertThat(trace.stream().filter(m -> m.received() && m.isRequest("BYE"))).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("failed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("remote-failure");
    }

    @Test
    void theCalleeOfAnOutboundCallMovesItsRtpInTheAckOfItsOfferlessReInvite() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (RtpPeer before = RtpPeer.open(); RtpPeer after = RtpPeer.open();
             Sipp callee = Sipp.callee("uas-reinvite-answer-in-ack.xml", harness.calleePort,
                     Map.of("rtpport", String.valueOf(before.port()), "newport", String.valueOf(after.port()),
                             "holdms", "2000"), 0, dir.resolve("callee"))) {
            var placed = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String sid = ServeStandIn.parse(placed.body()).path("sid").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("status").asText().equals("active"));
            int bridgePort = Integer.parseInt(call(sid).path("media").path("local").asText().replaceAll(".*:", ""));
            await().atMost(Duration.ofSeconds(5)).until(() -> fromBridge(before.received(), bridgePort) >= 10);

            await().atMost(Duration.ofSeconds(10)).until(() -> fromBridge(after.received(), bridgePort) >= 75);
            long movedAt = after.received().stream().filter(p -> p.source().getPort() == bridgePort)
                    .mapToLong(RtpPeer.Received::arrivalNanos).min().orElseThrow();
            assertThat(before.received().stream()
                    .filter(p -> p.source().getPort() == bridgePort && p.arrivalNanos() > movedAt + 500_000_000L).count())
                    .as("RTP to the old port after the move").isZero();
            assertThat(call(sid).path("status").asText()).isEqualTo("active");

            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(callee.awaitExit(15_000)).as(callee.output()).isZero();
        }
        assertThat(harness.serve.upgradePaths()).as("a re-offer never opens a second WebSocket").hasSize(1);
    }

    private JsonNode call(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body());
    }

    private static long fromBridge(List<RtpPeer.Received> received, int bridgePort) {
        return received.stream().filter(p -> p.source().getPort() == bridgePort).count();
    }

    /** The 200 sipp received for the request with {@code cseq}. */
    private static String received(List<SippTrace.Message> trace, String cseq) {
        return trace.stream().filter(m -> m.received() && m.isResponse(200) && m.headers("CSeq").contains(cseq))
                .map(SippTrace.Message::text).findFirst()
                .orElseThrow(() -> new AssertionError("no 200 for " + cseq + " in " + trace));
    }

    private static Matcher audioLine(String message) {
        Matcher m = AUDIO_LINE.matcher(message);
        assertThat(m.find()).as("m=audio line in:\n" + message).isTrue();
        return m;
    }
}
