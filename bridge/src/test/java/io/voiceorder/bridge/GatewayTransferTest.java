package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Sipp;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transfers of gateway calls (bridge.md §5.9 with §5.2): a number is referred to the device the call came from, at
 * its binding's source; a device user as destination is a bridged leg to that device's binding, its challenge
 * answered with that device's credentials. sipp plays the devices: the HT841 on 127.0.0.2, an FXS port registered
 * as its own device on 127.0.0.3; each registers from the socket address it then calls or answers on.
 */
@RequiresPeers({SIPP})
class GatewayTransferTest {
    private static final String DEVICE = "ht841";
    private static final String PASSWORD = "gw-pass-5d1c";
    private static final String FXS = "fxs";
    private static final String FXS_PASSWORD = "fxs-pass-81b2";
    private static final Pattern M_AUDIO = Pattern.compile("m=audio (\\d+) ");

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private void register(String ip, int port, String user, String password) throws Exception {
        try (Sipp device = Sipp.callerFrom(ip, port, "uac-register.xml", harness.sipTarget(), user,
                Map.of("user", user, "pass", password, "expires", "600", "expect", "200"), dir.resolve("register-" + user))) {
            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
        }
        assertThat(harness.device(user).path("source").asText()).isEqualTo(ip + ":" + port);
    }

    private String activeCall() {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().size() == 1
                && harness.calls().get(0).path("status").asText().equals("active"));
        try {
            return harness.calls().get(0).path("sid").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode call(String sid) throws Exception {
        return ServeStandIn.parse(harness.get("/api/calls/" + sid).body());
    }

    @Test
    void aNumberIsReferredToTheDeviceTheCallCameFromAtItsBindingsSource() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        int port = FreePorts.udpAndTcp();
        register("127.0.0.2", port, DEVICE, PASSWORD);

        Map<String, String> keys = new HashMap<>(Map.of("user", DEVICE, "pass", PASSWORD, "caller", "0145678901",
                "final", "200 OK"));
        try (Sipp device = Sipp.callerFrom("127.0.0.2", port, "uac-device-refer-accept.xml", harness.sipTarget(), "0972360682",
                keys, dir.resolve("call"))) {
            String sid = activeCall();
            assertThat(call(sid).path("source").asText()).isEqualTo("device");
            assertThat(call(sid).path("device").asText()).isEqualTo(DEVICE);

            HttpResponse<String> reply = harness.post("/api/calls/" + sid + "/transfer",
                    "{\"destination\": \"0612345678\", \"timeoutSec\": 30, \"wait\": true}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(ServeStandIn.parse(reply.body()).path("transfer").path("method").asText()).isEqualTo("refer");

            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
            assertThat(device.messages()).contains("REFER sip:")
                    .contains("Refer-To: <sip:0612345678@127.0.0.2:" + port + ">");
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            JsonNode ended = call(sid);
            assertThat(ended.path("endReason").asText()).isEqualTo("transferred");
            assertThat(ended.path("transfer").path("state").asText()).isEqualTo("succeeded");
        }
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"refer\",result=\"succeeded\"} 1.0");
    }

    @Test
    void aDeviceUserDestinationIsABridgedLegToItsBindingWithAudioBothWays() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD + "," + FXS + ":" + FXS_PASSWORD,
                "TRANSFER_MODE", "bridge"));
        int devicePort = FreePorts.udpAndTcp();
        int fxsPort = FreePorts.udpAndTcp();
        register("127.0.0.2", devicePort, DEVICE, PASSWORD);
        register("127.0.0.3", fxsPort, FXS, FXS_PASSWORD);

        try (RtpPeer callerRtp = RtpPeer.open("127.0.0.2"); RtpPeer fxsRtp = RtpPeer.open("127.0.0.3");
             Sipp fxs = Sipp.calleeOn("127.0.0.3", "uas-device-auth-rtp-port.xml", fxsPort, Map.of("user", FXS, "realm", "FXS",
                     "rtpport", String.valueOf(fxsRtp.port())), 300, dir.resolve("fxs"));
             Sipp device = Sipp.callerFrom("127.0.0.2", devicePort, "uac-device-rtp-port-bye.xml", harness.sipTarget(),
                     "0972360682", Map.of("user", DEVICE, "pass", PASSWORD, "caller", "0145678901", "talkms", "8000",
                             "rtpport", String.valueOf(callerRtp.port())), dir.resolve("call"))) {
            String sid = activeCall();
            int bridgeCallerPort = Integer.parseInt(call(sid).path("media").path("local").asText().replaceAll(".*:", ""));

            HttpResponse<String> reply = harness.post("/api/calls/" + sid + "/transfer",
                    "{\"destination\": \"" + FXS + "\", \"timeoutSec\": 10}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode body = ServeStandIn.parse(reply.body());
            assertThat(body.path("status").asText()).isEqualTo("transferred");
            assertThat(body.path("transfer").path("method").asText()).isEqualTo("bridge");
            assertThat(body.path("transfer").path("state").asText()).isEqualTo("succeeded");

            String fxsMessages = fxs.messages();
            assertThat(fxsMessages).contains("INVITE sip:" + FXS + "@127.0.0.3:" + fxsPort)
                    .contains("username=\"" + FXS + "\"").contains("realm=\"FXS\"")
                    .as("From carries the caller's number on a device route").containsPattern("From: .*<sip:\\+33145678901@")
                    .doesNotContain(FXS_PASSWORD).doesNotContain(PASSWORD);
            Matcher m = M_AUDIO.matcher(fxsMessages);
            assertThat(m.find()).as(fxsMessages).isTrue();
            int bridgeFxsPort = Integer.parseInt(m.group(1));

            byte[] fromCaller = new byte[160];
            byte[] fromFxs = new byte[160];
            Arrays.fill(fromCaller, (byte) 0x2A);
            Arrays.fill(fromFxs, (byte) 0x5C);
            for (int i = 0; i < 100; i++) {
                callerRtp.send(RtpPeer.rtp(0, i == 0, 1000 + i, 160L * i, 0x1111, fromCaller), bridgeCallerPort);
                fxsRtp.send(RtpPeer.rtp(0, i == 0, 5000 + i, 160L * i, 0x2222, fromFxs), bridgeFxsPort);
                Thread.sleep(20);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> heard(fxsRtp.received(), fromCaller) >= 10
                    && heard(callerRtp.received(), fromFxs) >= 10);

            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
            assertThat(fxs.awaitExit(10_000)).as("the caller's BYE ends the FXS leg: " + fxs.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> call(sid).path("status").asText().equals("transferred"));
            assertThat(call(sid).path("endReason").asText()).isEqualTo("transferred");
        }
        assertThat(harness.health().path("active_calls").asInt()).isZero();
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_transfers_total{method=\"bridge\",result=\"succeeded\"} 1.0");
    }

    private static long heard(List<RtpPeer.Received> packets, byte[] frame) {
        return packets.stream().filter(p -> p.payloadType() == 0 && Arrays.equals(p.payload(), frame)).count();
    }
}
