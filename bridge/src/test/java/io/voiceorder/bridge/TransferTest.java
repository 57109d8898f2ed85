package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.call.CallTimings;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.sip.Sipp;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Blind transfers end to end (bridge.md §3.5, §5.9, §11 items 40 and 41): a sipp caller through kamailio,
 * the bridge's REFER and its NOTIFYs, the bridged fallback to a second sipp callee with RTP checked at both
 * ends, and the API's refusals.
 */
@RequiresPeers({KAMAILIO, SIPP})
class TransferTest {
    private static final Pattern M_AUDIO = Pattern.compile("m=audio (\\d+) ");

    @TempDir
    Path dir;

    private BridgeHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private Sipp caller(String scenario, Map<String, String> keys) throws Exception {
        Map<String, String> all = new HashMap<>(keys);
        all.put("caller", "0145678901");
        return Sipp.caller(scenario, harness.kamailio.domain(), BridgeHarness.USER, all, dir.resolve("caller"));
    }

    private String activeCall() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                && harness.calls().get(0).path("status").asText().equals("active"));
        return harness.calls().get(0).path("sid").asText();
    }

    private JsonNode call(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body());
    }

    private HttpResponse<String> transfer(String sid, String body) throws Exception {
        return harness.post("/api/calls/" + sid + "/transfer", body);
    }

    private boolean streamStopped() {
        return !harness.serve.streams().isEmpty() && harness.serve.streams().get(0).stream().anyMatch(m -> m.contains("\"stop\""));
    }

    @Test
    void aReferAcceptedAndNotified200EndsOurLegAsTransferred() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp caller = caller("uac-refer-accept.xml", Map.of("final", "200 OK"))) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"0612345678\", \"timeoutSec\": 30, \"wait\": true}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode body = ServeStandIn.parse(reply.body());
            assertThat(body.path("status").asText()).isEqualTo("transferred");
            assertThat(body.path("sid").asText()).isEqualTo(sid);
            assertThat(body.path("destination").asText()).isEqualTo("+33612345678");
            assertThat(body.path("transfer").path("method").asText()).isEqualTo("refer");
            assertThat(body.path("transfer").path("state").asText()).as("replied after the 202").isIn("accepted", "ringing", "succeeded");

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            String messages = caller.messages();
            assertThat(messages).contains("REFER sip:").contains("Refer-To: <sip:0612345678@" + harness.kamailio.domain() + ">")
                    .contains("Referred-By: <sip:" + BridgeHarness.USER + "@127.0.0.1>");
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            JsonNode ended = call(sid);
            assertThat(ended.path("endReason").asText()).isEqualTo("transferred");
            assertThat(ended.path("transfer").path("state").asText()).isEqualTo("succeeded");
            assertThat(ended.path("transfer").path("sipCode").asInt()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(3)).until(this::streamStopped);
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"refer\",result=\"succeeded\"} 1.0");
    }

    @Test
    void anOutboundCallIsTransferredByReferInItsOwnDialog() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp callee = Sipp.callee("uas-refer-accept.xml", harness.calleePort, Map.of(), 300, dir.resolve("callee"))) {
            HttpResponse<String> placed = harness.post("/api/calls", "{\"to\": \"+33612345678\"}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String sid = ServeStandIn.parse(placed.body()).path("sid").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("status").asText().equals("active"));

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33698765432\"}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(callee.awaitExit(20_000)).as(callee.output()).isZero();
            assertThat(callee.messages()).contains("Refer-To: <sip:+33698765432@" + harness.kamailio.domain() + ">");
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            assertThat(call(sid).path("transfer").path("state").asText()).isEqualTo("succeeded");
        }
    }

    @Test
    void aFailedNotifyWithTheStreamOpenKeepsTheCallWithServe() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp caller = caller("uac-refer-accept.xml", Map.of("final", "486 Busy Here"))) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\"}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("transfer").path("state").asText().equals("failed"));
            JsonNode live = call(sid);
            assertThat(live.path("transfer").path("sipCode").asInt()).isEqualTo(486);
            assertThat(live.path("status").asText()).isEqualTo("active");
            assertThat(streamStopped()).as("serve's stream goes on").isFalse();

            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(caller.awaitExit(15_000)).as(caller.output()).isZero();
            assertThat(call(sid).path("endReason").asText()).isEqualTo("api-hangup");
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"refer\",result=\"failed\"} 1.0");
    }

    @Test
    void aFailedNotifyAfterServeClosedTheStreamEndsTheCallAsTransferFailed() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        AtomicReference<WebSocket> serveSide = new AtomicReference<>();
        harness.serve.onStart((ws, start) -> serveSide.set(ws));
        try (Sipp caller = caller("uac-refer-accept.xml", Map.of("final", "480 Temporarily Unavailable"))) {
            String sid = activeCall();
            await().atMost(Duration.ofSeconds(5)).until(() -> serveSide.get() != null);

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\"}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            serveSide.get().close();
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.serve.streams().get(0).size() > 0 && !serveSide.get().isOpen());
            assertThat(call(sid).path("status").asText()).as("serve's close during the transfer keeps the caller").isEqualTo("active");

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("completed"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("transfer-failed");
            assertThat(call(sid).path("transfer").path("sipCode").asInt()).isEqualTo(480);
        }
    }

    @Test
    void withoutAFinalNotifyTheCallIsAssumedHandedOffAndOurLegEnds() throws Exception {
        CallTimings timings = new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120), Duration.ofSeconds(1),
                Duration.ofSeconds(3)).withReferFinalNotify(Duration.ofSeconds(2));
        harness = BridgeHarness.start(dir, Map.of(), timings);
        try (Sipp caller = caller("uac-refer-no-final.xml", Map.of())) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"wait\": false}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(ServeStandIn.parse(reply.body()).path("transfer").path("state").asText()).isEqualTo("pending");
            HttpResponse<String> again = transfer(sid, "{\"destination\": \"+33612345678\"}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(ServeStandIn.parse(again.body()).path("error").asText()).isEqualTo("transfer_in_progress");

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            assertThat(call(sid).path("transfer").path("state").asText()).isEqualTo("succeeded");
        }
    }

    @Test
    void aRefusedReferUnderReferModeAnswers502AndTheStreamGoesOn() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("TRANSFER_MODE", "refer"));
        try (RtpPeer peer = RtpPeer.open();
             Sipp caller = caller("uac-refer-refuse.xml", Map.of("referreply", "405", "talkms", "4000",
                     "rtpport", String.valueOf(peer.port())))) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"timeoutSec\": 10}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(502);
            JsonNode body = ServeStandIn.parse(reply.body());
            assertThat(body.path("error").asText()).isEqualTo("transfer_failed");
            assertThat(body.path("transfer").path("method").asText()).isEqualTo("refer");
            assertThat(body.path("transfer").path("state").asText()).isEqualTo("failed");
            assertThat(body.path("transfer").path("sipCode").asInt()).isEqualTo(405);
            assertThat(call(sid).path("status").asText()).isEqualTo("active");
            assertThat(streamStopped()).as("serve's stream goes on").isFalse();

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("completed"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("caller-hangup");
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"refer\",result=\"refused\"} 1.0");
    }

    @Test
    void aRefusedReferUnderAutoBridgesASecondLegAndAudioFlowsBothWays() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (RtpPeer callerRtp = RtpPeer.open(); RtpPeer calleeRtp = RtpPeer.open();
             Sipp callee = Sipp.callee("uas-rtp-port.xml", harness.calleePort, Map.of("rtpport", String.valueOf(calleeRtp.port())),
                     500, dir.resolve("callee"));
             Sipp caller = caller("uac-refer-refuse.xml", Map.of("referreply", "405", "talkms", "8000",
                     "rtpport", String.valueOf(callerRtp.port())))) {
            String sid = activeCall();
            int bridgeCallerPort = Integer.parseInt(call(sid).path("media").path("local").asText().replaceAll(".*:", ""));

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"timeoutSec\": 10}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode body = ServeStandIn.parse(reply.body());
            assertThat(body.path("status").asText()).isEqualTo("transferred");
            assertThat(body.path("transfer").path("method").asText()).isEqualTo("bridge");
            assertThat(body.path("transfer").path("state").asText()).isEqualTo("succeeded");
            await().atMost(Duration.ofSeconds(3)).until(this::streamStopped);
            assertThat(call(sid).path("status").asText()).as("joined legs stay up").isEqualTo("active");

            Matcher m = M_AUDIO.matcher(callee.messages());
            assertThat(m.find()).as(callee.messages()).isTrue();
            int bridgeCalleePort = Integer.parseInt(m.group(1));
            assertThat(callee.messages()).contains("From: \"+33145678901\" <sip:" + BridgeHarness.USER + "@127.0.0.1>");

            byte[] fromCaller = new byte[160];
            byte[] fromCallee = new byte[160];
            Arrays.fill(fromCaller, (byte) 0x2A);
            Arrays.fill(fromCallee, (byte) 0x5C);
            for (int i = 0; i < 100; i++) {
                callerRtp.send(RtpPeer.rtp(0, i == 0, 1000 + i, 160L * i, 0x1111, fromCaller), bridgeCallerPort);
                calleeRtp.send(RtpPeer.rtp(0, i == 0, 5000 + i, 160L * i, 0x2222, fromCallee), bridgeCalleePort);
                Thread.sleep(20);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> heard(calleeRtp.received(), fromCaller) >= 10
                    && heard(callerRtp.received(), fromCallee) >= 10);

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            assertThat(callee.awaitExit(10_000)).as("the caller's BYE ends the callee's leg: " + callee.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("transferred");
        }
        assertThat(harness.health().path("active_calls").asInt()).isZero();
        String metrics = harness.get("/metrics").body();
        assertThat(metrics).contains("voiceorder_bridge_transfers_total{method=\"refer\",result=\"refused\"} 1.0")
                .contains("voiceorder_bridge_transfers_total{method=\"bridge\",result=\"succeeded\"} 1.0");
    }

    @Test
    void anUnansweredReferUnderAutoFallsBackToTheBridgedLeg() throws Exception {
        CallTimings timings = new CallTimings(Duration.ofSeconds(32), Duration.ofSeconds(120), Duration.ofSeconds(1),
                Duration.ofSeconds(3)).withReferAnswer(Duration.ofSeconds(1));
        harness = BridgeHarness.start(dir, Map.of(), timings);
        try (RtpPeer callerRtp = RtpPeer.open(); RtpPeer calleeRtp = RtpPeer.open();
             Sipp callee = Sipp.callee("uas-rtp-port.xml", harness.calleePort, Map.of("rtpport", String.valueOf(calleeRtp.port())),
                     300, dir.resolve("callee"));
             Sipp caller = caller("uac-refer-ignore.xml", Map.of("talkms", "6000", "rtpport", String.valueOf(callerRtp.port())))) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"timeoutSec\": 10}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(ServeStandIn.parse(reply.body()).path("transfer").path("method").asText()).isEqualTo("bridge");
            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
        }
    }

    @Test
    void aStreamClosedWhileTheBridgedLegRingsLeavesTheCallerUpAndMaxDurationStopsAfterTheHandOff() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("TRANSFER_MODE", "bridge", "MAX_CALL_DURATION", "6"));
        AtomicReference<WebSocket> serveSide = new AtomicReference<>();
        harness.serve.onStart((ws, start) -> serveSide.set(ws));
        try (RtpPeer callerRtp = RtpPeer.open(); RtpPeer calleeRtp = RtpPeer.open();
             Sipp callee = Sipp.callee("uas-rtp-port.xml", harness.calleePort, Map.of("rtpport", String.valueOf(calleeRtp.port())),
                     2500, dir.resolve("callee"));
             Sipp caller = caller("uac-rtp-port-bye.xml", Map.of("talkms", "9000", "rtpport", String.valueOf(callerRtp.port())))) {
            String sid = activeCall();
            await().atMost(Duration.ofSeconds(5)).until(() -> serveSide.get() != null);

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"wait\": false}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("transfer").path("state").asText().equals("ringing"));
            serveSide.get().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> call(sid).path("transfer").path("state").asText().equals("succeeded"));
            assertThat(call(sid).path("status").asText()).as("serve's close did not end the caller's leg").isEqualTo("active");
            assertThat(call(sid).path("transfer").path("method").asText()).isEqualTo("bridge");

            // the caller hangs up 9 s after the answer: past MAX_CALL_DURATION, which stopped at the hand-off
            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("transferred");
        }
    }

    @Test
    void aBusyDestinationAnswers502AndTheCallerStaysWithServe() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("TRANSFER_MODE", "bridge"));
        try (RtpPeer callerRtp = RtpPeer.open();
             Sipp callee = Sipp.callee("uas-refuse.xml", harness.calleePort, Map.of("reply", "486"), 0, dir.resolve("callee"));
             Sipp caller = caller("uac-rtp-port-bye.xml", Map.of("talkms", "5000", "rtpport", String.valueOf(callerRtp.port())))) {
            String sid = activeCall();

            HttpResponse<String> reply = transfer(sid, "{\"destination\": \"+33612345678\", \"timeoutSec\": 10}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(502);
            JsonNode t = ServeStandIn.parse(reply.body()).path("transfer");
            assertThat(t.path("method").asText()).isEqualTo("bridge");
            assertThat(t.path("state").asText()).isEqualTo("failed");
            assertThat(t.path("sipCode").asInt()).isEqualTo(486);
            assertThat(call(sid).path("status").asText()).isEqualTo("active");
            assertThat(streamStopped()).as("serve's stream goes on").isFalse();
            assertThat(callee.awaitExit(10_000)).as(callee.output()).isZero();

            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("completed"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("caller-hangup");
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"bridge\",result=\"failed\"} 1.0");
    }

    @Test
    void aReferFromTheFarEndIsRefused() throws Exception {
        harness = BridgeHarness.start(dir, Map.of());
        try (Sipp caller = caller("uac-send-refer.xml", Map.of("rtpport", "0"))) {
            assertThat(caller.awaitExit(20_000)).as(caller.output()).isZero();
            assertThat(caller.messages()).contains("SIP/2.0 403");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().get(0).path("status").asText().equals("completed"));
        assertThat(harness.calls().get(0).path("endReason").asText()).isEqualTo("caller-hangup");
    }

    private static long heard(List<RtpPeer.Received> packets, byte[] frame) {
        return packets.stream().filter(p -> p.payloadType() == 0 && Arrays.equals(p.payload(), frame)).count();
    }

    @Test
    void refusedTransfersSendNothing() throws Exception {
        harness = BridgeHarness.start(dir, Map.of("MAX_OUTBOUND_PER_HOUR", "1"));
        assertThat(transfer("4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90", "{\"destination\": \"+33612345678\"}").statusCode())
                .isEqualTo(404);
        try (Sipp caller = caller("uac-wait-bye.xml", Map.of())) {
            String sid = activeCall();

            HttpResponse<String> foreign = transfer(sid, "{\"destination\": \"+447700900123\"}");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(ServeStandIn.parse(foreign.body()).path("error").asText()).isEqualTo("destination_not_allowed");
            assertThat(transfer(sid, "{\"destination\": \"not a number!\"}").statusCode()).isEqualTo(400);
            assertThat(transfer(sid, "{\"destination\": \"+33612345678\", \"timeoutSec\": 3}").statusCode()).isEqualTo(400);
            HttpResponse<String> device = transfer(sid, "{\"destination\": \"ht841\"}");
            assertThat(device.statusCode()).isEqualTo(400);
            assertThat(ServeStandIn.parse(device.body()).path("error").asText()).isEqualTo("unknown_destination");

            // the hourly cap counts outbound calls and transfers together
            harness.post("/api/calls", "{\"to\": \"+33612345678\", \"wsTarget\": \"ws://127.0.0.1:9/media-stream\"}");
            HttpResponse<String> capped = transfer(sid, "{\"destination\": \"+33612345678\"}");
            assertThat(capped.statusCode()).isEqualTo(429);
            assertThat(ServeStandIn.parse(capped.body()).path("error").asText()).isEqualTo("hourly_cap");
            assertThat(capped.headers().firstValue("Retry-After")).isPresent();
            assertThat(call(sid).path("transfer").isNull() || call(sid).path("transfer").isMissingNode()).as("no transfer started").isTrue();

            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(caller.awaitExit(15_000)).as(caller.output()).isZero();
            assertThat(caller.messages()).doesNotContain("REFER sip:");
            HttpResponse<String> ended = transfer(sid, "{\"destination\": \"+33612345678\"}");
            assertThat(ended.statusCode()).isEqualTo(409);
            assertThat(ServeStandIn.parse(ended.body()).path("error").asText()).isEqualTo("not_answered");
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_outbound_refused_total{reason=\"prefix\"} 1.0");
    }
}
