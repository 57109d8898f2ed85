package io.voiceorder.bridge.nat;

import io.voiceorder.bridge.media.MediaLegStats;
import io.voiceorder.bridge.support.Coturn;
import io.voiceorder.bridge.support.FakeServe;
import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RtpPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** STUN learning and TURN-relayed calls against a real coturn on 127.0.0.1 with long-term credentials. */
class NatTraversalTest {
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start();
    }

    @AfterAll
    static void stopCoturn() throws Exception {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static NatSettings stunOnly() {
        return new NatSettings(coturn.address(), null, null, null, false);
    }

    private static NatSettings turn(String password) {
        return new NatSettings(null, coturn.address(), Coturn.USER, password, false);
    }

    private static int sdpPort(String sdp) {
        Matcher m = Pattern.compile("(?m)^m=audio (\\d+) ").matcher(sdp);
        assertThat(m.find()).as("m=audio in %s", sdp).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String sdpAddress(String sdp) {
        Matcher m = Pattern.compile("(?m)^c=IN IP4 (\\S+)").matcher(sdp);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void publicAddressLearnedByStunAndKeptWhenTheServerGoesAway() throws Exception {
        try (PublicAddressLearner learner = new PublicAddressLearner(coturn.address(), InetAddress.getLoopbackAddress(),
                Duration.ofMinutes(5))) {
            assertThat(learner.refresh()).contains(InetAddress.getLoopbackAddress());
        }
        int silentPort;
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silentPort = silent.getLocalPort();
            try (PublicAddressLearner learner = new PublicAddressLearner(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), silentPort), InetAddress.getLoopbackAddress(),
                    Duration.ofMinutes(5))) {
                assertThat(learner.refresh()).isEmpty();
            }
        }
    }

    @Test
    void sdpCarriesTheRtpSocketsStunMapping() throws Exception {
        try (LegHarness h = LegHarness.start(new NatTraversal(stunOnly()))) {
            h.leg = h.engine.openLeg(h.sid);
            String answer = h.leg.answer(h.peer.offer("0 101"), "127.0.0.1");
            // On loopback the mapping coturn reports is the RTP socket itself: 127.0.0.1 and its port.
            assertThat(sdpAddress(answer)).isEqualTo("127.0.0.1");
            assertThat(sdpPort(answer)).isEqualTo(h.leg.localRtpPort());
            assertThat(h.leg.relayed()).isFalse();
        }
    }

    @Test
    void perCallStunMappingComesFromTheRtpSocketAndTimesOutWhenUnanswered() throws Exception {
        try (NatTraversal nat = new NatTraversal(stunOnly());
             java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            CallNat call = nat.forCall("CAtest", channel, InetAddress.getLoopbackAddress(), port).orElseThrow();
            Thread reader = new Thread(() -> {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(2048);
                try {
                    while (channel.isOpen()) {
                        buffer.clear();
                        InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                        buffer.flip();
                        call.offer(buffer, from);
                    }
                } catch (java.io.IOException e) {
                    // channel closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertThat(call.mapped(Duration.ofSeconds(2)))
                    .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            call.close();
            channel.close();
            reader.join(2000);
        }
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             NatTraversal nat = new NatTraversal(new NatSettings(
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), null, null, null, false));
             LegHarness h = LegHarness.start(nat)) {
            h.leg = h.engine.openLeg(h.sid);
            String answer = h.leg.answer(h.peer.offer("0 101"), "127.0.0.1");
            // No answer within 500 ms: the host address and port.
            assertThat(sdpPort(answer)).isEqualTo(h.leg.localRtpPort());
        }
    }

    @Test
    void noIceMeansNoPerCallStunOrTurn() throws Exception {
        NatSettings s = new NatSettings(coturn.address(), null, null, null, true);
        assertThat(s.perCall()).isFalse();
        assertThat(new NatTraversal(s).forCall("CAx", null, InetAddress.getLoopbackAddress(), 1)).isEmpty();
    }

    @Test
    void callWhoseRtpGoesThroughCoturnFlowsBothWays() throws Exception {
        try (LegHarness h = LegHarness.start(new NatTraversal(turn(coturn.password)))) {
            h.leg = h.engine.openLeg(h.sid);
            String answer = h.leg.answer(h.peer.offer("0 101"), "127.0.0.1");
            int relayPort = sdpPort(answer);
            assertThat(relayPort).isBetween(coturn.relayMin, coturn.relayMax);
            assertThat(h.leg.relayed()).isTrue();
            h.leg.connectStream(LegHarness.streamStart(), h.listener).get(3, java.util.concurrent.TimeUnit.SECONDS);
            h.leg.startMedia();
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            String streamSid = h.serve.events("start").get(0).json().path("streamSid").asText();

            // bridge → caller: serve's audio leaves through the relay (the peer sees coturn's relay port).
            byte[] served = new byte[1600];
            java.util.Arrays.fill(served, (byte) 0x2A);
            h.serve.sendMedia(streamSid, served);
            await().atMost(Duration.ofSeconds(5)).until(() -> h.peer.received().stream()
                    .anyMatch(r -> r.payloadType() == 0 && r.payload()[0] == 0x2A));
            List<RtpPeer.Received> fromBridge = h.peer.received();
            assertThat(fromBridge).allSatisfy(r -> assertThat(r.source().getPort()).isEqualTo(relayPort));

            // caller → bridge: RTP sent to the relayed address reaches serve.
            byte[] caller = new byte[160 * 25];
            for (int i = 0; i < caller.length; i++) {
                caller[i] = (byte) (1 + i % 200);
            }
            for (int i = 0; i < 25; i++) {
                h.peer.send(RtpPeer.rtp(0, i == 0, 100 + i, 1000 + 160L * i, 0x1234,
                        java.util.Arrays.copyOfRange(caller, i * 160, (i + 1) * 160)), relayPort);
                Thread.sleep(20);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> servedAudio(h.serve).contains(new String(caller, java.nio.charset.StandardCharsets.ISO_8859_1)));
            MediaLegStats stats = h.leg.stats();
            assertThat(stats.relayed()).isTrue();
            assertThat(stats.rtpIn()).isGreaterThanOrEqualTo(25);
            assertThat(stats.rtpOut()).isPositive();

            // The remote media address got a channel binding, and call end releases the allocation (Refresh, lifetime 0).
            assertThat(coturn.log()).contains("user <" + Coturn.USER + ">: incoming packet CHANNEL_BIND processed, success");
            h.leg.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> coturn.log().contains("refreshed, realm=<" + Coturn.REALM
                    + ">, username=<" + Coturn.USER + ">, lifetime=0"));
        }
    }

    @Test
    void wrongTurnPasswordFallsBackToTheStunMapping() throws Exception {
        try (LegHarness h = LegHarness.start(new NatTraversal(turn("wrong-" + coturn.password)))) {
            h.leg = h.engine.openLeg(h.sid);
            String answer = h.leg.answer(h.peer.offer("0 101"), "127.0.0.1");
            assertThat(h.leg.relayed()).isFalse();
            assertThat(sdpPort(answer)).isEqualTo(h.leg.localRtpPort());
            assertThat(h.leg.stats().relayed()).isFalse();
        }
    }

    @Test
    void silentTurnServerFallsBackToTheHostAddressAfterTheAllocationTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             LegHarness h = LegHarness.start(new NatTraversal(new NatSettings(null,
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), Coturn.USER, "pw", false)))) {
            h.leg = h.engine.openLeg(h.sid);
            String answer = h.leg.answer(h.peer.offer("0 101"), "127.0.0.1");
            assertThat(h.leg.relayed()).isFalse();
            assertThat(sdpPort(answer)).isEqualTo(h.leg.localRtpPort());
        }
    }

    private static String servedAudio(FakeServe serve) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FakeServe.Message m : serve.events("media")) {
            out.writeBytes(Base64.getDecoder().decode(m.json().path("media").path("payload").asText()));
        }
        return new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
