package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.registrar.BindingStore;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateway and peer modes end to end on loopback (bridge.md §11 items 35–38): sipp as the device (127.0.0.1), a
 * peer (127.0.0.3) and a stranger (127.0.0.2); no trunk, so 127.0.0.1 is no trunk address.
 */
@RequiresPeers({SIPP})
class GatewayModeTest {
    private static final String DEVICE = "ht841";
    private static final String PASSWORD = "gw-pass-5d1c";

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private Sipp register(String password, String expires, String expect, String name) throws Exception {
        return Sipp.caller("uac-register.xml", harness.sipTarget(), DEVICE,
                Map.of("user", DEVICE, "pass", password, "expires", expires, "expect", expect), dir.resolve(name));
    }

    @Test
    void aDeviceRegistersWithDigestIsListedInHealthAndExpiresZeroRemovesIt() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        assertThat(harness.device(DEVICE).path("registered").asBoolean()).isFalse();
        assertThat(harness.health().hasNonNull("sip_registered")).isFalse();
        assertThat(harness.health().path("registrations")).isEmpty();

        try (Sipp device = register(PASSWORD, "120", "200", "register")) {
            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
            String messages = device.messages();
            assertThat(messages).contains("SIP/2.0 401").contains("realm=\"voiceorder\"").contains("qop=\"auth\"")
                    .contains("algorithm=MD5");
            String ok = messages.substring(messages.indexOf("SIP/2.0 200"));
            assertThat(ok).contains("expires=120").contains("Date: ");
        }
        JsonNode d = harness.device(DEVICE);
        assertThat(d.path("registered").asBoolean()).isTrue();
        assertThat(d.path("contact").asText()).startsWith("sip:" + DEVICE + "@127.0.0.1:");
        assertThat(d.path("source").asText()).startsWith("127.0.0.1:");
        assertThat(d.path("expires_in_s").asLong()).isBetween(100L, 120L);
        assertThat(d.path("reachable").asBoolean()).isTrue();
        assertThat(d.path("user_agent").asText()).isEqualTo("sipp-test-device");
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_devices_registered 1.0");
        assertThat(harness.get("/health").body()).doesNotContain(PASSWORD);

        try (Sipp tooBrief = register(PASSWORD, "30", "423", "brief")) {
            assertThat(tooBrief.awaitExit(20_000)).as(tooBrief.output()).isZero();
            assertThat(tooBrief.messages()).contains("Min-Expires: 60");
        }
        try (Sipp wrong = register("not-the-password", "120", "403", "wrong")) {
            assertThat(wrong.awaitExit(20_000)).as(wrong.output()).isZero();
        }
        assertThat(harness.device(DEVICE).path("registered").asBoolean()).as("a refused REGISTER leaves the binding").isTrue();

        try (Sipp remove = register(PASSWORD, "0", "200", "remove")) {
            assertThat(remove.awaitExit(20_000)).as(remove.output()).isZero();
        }
        assertThat(harness.device(DEVICE).path("registered").asBoolean()).isFalse();
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_devices_registered 0.0");
    }

    @Test
    void anInviteFromTheDeviceIsChallengedThenStreamedOthersAreRefusedAndTheBindingSurvivesARestart() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        try (Sipp device = register(PASSWORD, "600", "200", "register")) {
            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
        }

        try (Sipp call = Sipp.caller("uac-device-invite.xml", harness.sipTarget(), "0972360682",
                Map.of("user", DEVICE, "pass", PASSWORD, "caller", "0145678901"), dir.resolve("invite"))) {
            assertThat(call.awaitExit(30_000)).as(call.output()).isZero();
            assertThat(call.messages()).contains("SIP/2.0 407").contains("Proxy-Authenticate: Digest");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().size() == 1
                && harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("source").asText()).isEqualTo("device");
        assertThat(call.path("device").asText()).isEqualTo(DEVICE);
        assertThat(call.path("from").asText()).isEqualTo("+33145678901");
        assertThat(call.path("media").path("rtpIn").asLong()).isPositive();
        assertThat(harness.serve.streams()).hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> harness.serve.streams().get(0).stream().anyMatch(m -> m.contains("\"stop\"")));
        assertThat(MediaStreamValidator.bridge().check(harness.serve.streams().get(0))).isEmpty();

        try (Sipp wrong = Sipp.caller("uac-device-invite-refused.xml", harness.sipTarget(), "0972360682",
                Map.of("user", DEVICE, "pass", "not-the-password", "caller", "0145678901", "expect", "403"),
                dir.resolve("wrong"))) {
            assertThat(wrong.awaitExit(20_000)).as(wrong.output()).isZero();
        }
        try (Sipp stranger = Sipp.callerFrom("127.0.0.2", "uac-refused.xml", harness.sipTarget(), "0972360682",
                Map.of("caller", "0145678901", "expect", "403", "codec", "8"), dir.resolve("stranger"))) {
            assertThat(stranger.awaitExit(20_000)).as(stranger.output()).isZero();
        }
        assertThat(harness.serve.upgradePaths()).hasSize(1);
        assertThat(harness.calls()).hasSize(1);
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_invites_refused_total{reason=\"policy\"} 2.0")
                .contains("voiceorder_bridge_calls_total{direction=\"inbound\",source=\"device\",status=\"completed\"} 1.0");

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(harness.dataDir.resolve(BindingStore.FILE_NAME)));
        assertThat(Files.readString(harness.dataDir.resolve(BindingStore.FILE_NAME))).doesNotContain(PASSWORD);
        harness.restart();
        assertThat(harness.device(DEVICE).path("registered").asBoolean()).isTrue();
        // still a device source after the restart: challenged, not refused as unknown
        try (Sipp again = Sipp.caller("uac-refused.xml", harness.sipTarget(), "0972360682",
                Map.of("caller", "0145678901", "expect", "407", "codec", "8"), dir.resolve("again"))) {
            assertThat(again.awaitExit(20_000)).as(again.output()).isZero();
        }
        assertThat(harness.probe("127.0.0.1", "OPTIONS", 3000)).startsWith("SIP/2.0 200").contains("Accept: application/sdp");
        assertThat(harness.probe("127.0.0.1", "SUBSCRIBE", 3000)).startsWith("SIP/2.0 405").contains("Allow: ");
        assertThat(harness.serve.upgradePaths()).hasSize(1);
    }

    @Test
    void anInviteFromAnotherAddressGets403OrNothingWithDropUnknown() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        assertThat(harness.probe("127.0.0.2", "INVITE", 3000)).startsWith("SIP/2.0 403");
        assertThat(harness.probe("127.0.0.2", "OPTIONS", 3000)).startsWith("SIP/2.0 403");
        harness.close();

        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD, "SIP_DROP_UNKNOWN", "true"));
        assertThat(harness.probe("127.0.0.2", "INVITE", 2000)).as("no response at all").isNull();
        assertThat(harness.probe("127.0.0.2", "OPTIONS", 1000)).isNull();
        assertThat(harness.serve.upgradePaths()).isEmpty();
        assertThat(harness.calls()).isEmpty();
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_invites_refused_total{reason=\"policy\"} 2.0");
    }

    @Test
    void anInviteFromAnAllowedCidrIsAnsweredAndStreamedAsAPeer() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_ALLOW_FROM", "127.0.0.3/32"));
        assertThat(harness.health().path("peers").get(0).asText()).isEqualTo("127.0.0.3/32");
        assertThat(harness.health().path("devices")).isEmpty();
        assertThat(harness.probe("127.0.0.3", "OPTIONS", 3000)).startsWith("SIP/2.0 200");

        try (Sipp peer = Sipp.callerFrom("127.0.0.3", "uac-pcap.xml", harness.sipTarget(), "0972360682",
                Map.of("caller", "0145678901"), dir.resolve("peer"))) {
            assertThat(peer.awaitExit(30_000)).as(peer.output()).isZero();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.calls().size() == 1
                && harness.calls().get(0).path("status").asText().equals("completed"));
        JsonNode call = harness.calls().get(0);
        assertThat(call.path("source").asText()).isEqualTo("peer");
        assertThat(call.hasNonNull("device")).isFalse();
        assertThat(harness.serve.streams()).hasSize(1);

        assertThat(harness.probe("127.0.0.2", "INVITE", 3000)).startsWith("SIP/2.0 403");
    }

    @Test
    void anOutboundCallViaTheDeviceGoesToItsBindingAndAnswersItsChallengeWithTheDeviceCredentials() throws Exception {
        int devicePort = FreePorts.udpAndTcp();
        // a binding saved by an earlier run: the device at 127.0.0.1:devicePort
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve(BindingStore.FILE_NAME), "{\"bindings\":[{\"user\":\"" + DEVICE
                + "\",\"contact\":\"sip:" + DEVICE + "@192.168.1.50:5062\",\"source_host\":\"127.0.0.1\",\"source_port\":"
                + devicePort + ",\"transport\":\"udp\",\"user_agent\":\"Grandstream HT841\",\"expires_at\":\""
                + Instant.now().plusSeconds(600) + "\"}]}");
        Map<String, String> vars = new HashMap<>(Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD + ",fxs:other-pass"));
        harness = GatewayHarness.start(dir, vars);
        assertThat(harness.device(DEVICE).path("contact").asText()).isEqualTo("sip:" + DEVICE + "@192.168.1.50:5062");

        HttpResponse<String> noRoute = harness.post("/api/calls", "{\"to\": \"+33612345678\", \"via\": \"fxs\"}");
        assertThat(noRoute.statusCode()).isEqualTo(503);
        assertThat(noRoute.body()).contains("no_route");
        HttpResponse<String> noTrunk = harness.post("/api/calls", "{\"to\": \"+33612345678\", \"via\": \"trunk\"}");
        assertThat(noTrunk.statusCode()).isEqualTo(503);

        // the device answers with a private Contact (behind NAT): ACK and BYE must still reach its binding's source
        try (Sipp callee = Sipp.callee("uas-auth.xml", devicePort, Map.of("user", DEVICE, "realm", "HT841",
                "contact_host", "192.0.2.50:5062"), 200, dir.resolve("callee"))) {
            HttpResponse<String> placed = harness.post("/api/calls", "{\"to\": \"0612345678\"}");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            String sid = ServeStandIn.parse(placed.body()).path("sid").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> harness.calls().get(0).path("status").asText().equals("active"));
            JsonNode call = harness.calls().get(0);
            assertThat(call.path("device").asText()).isEqualTo(DEVICE);
            assertThat(call.path("source").asText()).isEqualTo("api");
            assertThat(harness.delete("/api/calls/" + sid).statusCode()).isEqualTo(200);
            assertThat(callee.awaitExit(15_000)).as(callee.output()).isZero();
            String messages = callee.messages();
            assertThat(messages).contains("INVITE sip:0612345678@127.0.0.1:" + devicePort + " SIP/2.0")
                    .contains("username=\"" + DEVICE + "\"").contains("realm=\"HT841\"").doesNotContain(PASSWORD);
        }
    }
}
