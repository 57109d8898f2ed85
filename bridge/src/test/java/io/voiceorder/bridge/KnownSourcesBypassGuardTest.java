package io.voiceorder.bridge;

import io.voiceorder.bridge.guard.SourceGuard;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bridge.md §9.2: the per-source request budget applies to unknown sources only. A bound device's address and a peer
 * CIDR are known sources (§5.3 rules 3–4): a burst of 40 OPTIONS from either is answered in full, while the same
 * burst from an unknown address is cut at its bucket.
 */
@RequiresPeers({SIPP})
class KnownSourcesBypassGuardTest {
    private static final String DEVICE = "ht841";
    private static final String PASSWORD = "gw-pass-5d1c";
    private static final int BURST = 40;

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aBoundDeviceAndAPeerGetEveryAnswerAnUnknownSourceIsCutAtItsBucket() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD, "SIP_ALLOW_FROM", "127.0.0.3/32"));
        try (Sipp device = Sipp.callerFrom("127.0.0.2", "uac-register.xml", harness.sipTarget(), DEVICE,
                Map.of("user", DEVICE, "pass", PASSWORD, "expires", "600", "expect", "200"), dir.resolve("register"))) {
            assertThat(device.awaitExit(20_000)).as(device.output()).isZero();
        }

        Map<String, Integer> device = burst("127.0.0.2");
        assertThat(device).as("the bound device").containsExactly(Map.entry("200", BURST));
        Map<String, Integer> peer = burst("127.0.0.3");
        assertThat(peer).as("the peer CIDR").containsExactly(Map.entry("200", BURST));

        Map<String, Integer> stranger = burst("127.0.0.4");
        assertThat(stranger.keySet()).as("the unknown source").containsExactly("403");
        // its bucket of 20, plus what refilled (2/s) while the burst was sent
        assertThat(stranger.get("403")).isBetween(SourceGuard.BUCKET, SourceGuard.BUCKET + 10);
        assertThat(harness.get("/metrics").body()).contains("voiceorder_bridge_sip_dropped_total{reason=\"rate_limited\"}");
        assertThat(harness.health().path("banned")).as("a short burst is no flood ban").isEmpty();
    }

    /** Sends {@link #BURST} OPTIONS from {@code fromIp} back to back; counts the final answers by status code. */
    private Map<String, Integer> burst(String fromIp) throws Exception {
        Map<String, Integer> codes = new HashMap<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromIp), 0))) {
            InetAddress bridge = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < BURST; i++) {
                String tag = UUID.randomUUID().toString().substring(0, 8);
                String text = "OPTIONS sip:" + harness.sipTarget() + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + fromIp + ":" + socket.getLocalPort() + ";branch=z9hG4bK-" + tag + ";rport\r\n"
                        + "From: <sip:" + DEVICE + "@" + fromIp + ">;tag=" + tag + "\r\n"
                        + "To: <sip:" + harness.sipTarget() + ">\r\n"
                        + "Call-ID: " + UUID.randomUUID() + "\r\n"
                        + "CSeq: 1 OPTIONS\r\n"
                        + "Max-Forwards: 70\r\nUser-Agent: burst-probe\r\nContent-Length: 0\r\n\r\n";
                byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, bridge, harness.bridge.sipPort()));
            }
            byte[] buffer = new byte[65536];
            // bounded: the answers come within a moment; 3 s of silence ends the count
            socket.setSoTimeout(3000);
            for (int i = 0; i < BURST * 2; i++) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                String code = response.substring("SIP/2.0 ".length(), "SIP/2.0 ".length() + 3);
                if (!code.startsWith("1")) {
                    codes.merge(code, 1, Integer::sum);
                }
            }
        }
        return codes;
    }
}
