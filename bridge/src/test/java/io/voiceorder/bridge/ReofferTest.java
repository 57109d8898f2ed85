package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.fixtures.sip.Kamailio;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.sip.SippTrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * New offers inside an established inbound call (sipp caller → kamailio → bridge).
 * Covers bridge.md §5.4 "Re-INVITE or UPDATE": an UPDATE with a new offer is answered like a re-INVITE, on the same
 * RTP port, with a codec the new offer still contains; a re-INVITE without SDP gets the current session offered in
 * its 200 (answer in the ACK); neither opens a second WebSocket (§11 item 25, its "no second WebSocket" part).
 */
class ReofferTest {
    private static final Pattern AUDIO_LINE = Pattern.compile("m=audio (\\d+) RTP/AVP ([0-9 ]+)");

    @TempDir
    Path dir;

    private BridgeHarness harness;

    @BeforeEach
    void requirePeers() {
        assumeTrue(Kamailio.available(), "kamailio is not installed (Debian package kamailio; .ci/run installs it): skipped");
        assumeTrue(Sipp.available(), "sipp is not installed (Debian package sip-tester; .ci/run installs it): skipped");
    }

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
