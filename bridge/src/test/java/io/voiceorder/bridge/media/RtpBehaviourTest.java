package io.voiceorder.bridge.media;

import io.voiceorder.bridge.rtp.Rtcp;
import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** RTP through a leg: DTMF both ways, source checks, malformed input, timeout, hold, VAD, RTCP. */
class RtpBehaviourTest {

    private static byte[] event(int code, boolean end, int duration) {
        return new byte[] {(byte) code, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    @Test
    void rfc4733DigitWithRetransmittedEndPacketsIsOneDtmfMessage() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0 101");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            int port = h.leg.localRtpPort();
            long ts = 5000;
            h.peer.send(RtpPeer.rtp(101, true, 10, ts, 42, event(1, false, 160)), port);
            h.peer.send(RtpPeer.rtp(101, false, 11, ts, 42, event(1, false, 320)), port);
            for (int i = 0; i < 3; i++) {
                h.peer.send(RtpPeer.rtp(101, false, 12 + i, ts, 42, event(1, true, 480)), port);
            }
            // A second key press without any end packet is reported after the end timeout.
            h.peer.send(RtpPeer.rtp(101, true, 15, ts + 2000, 42, event(11, false, 160)), port);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("dtmf").size() == 2);
            Thread.sleep(300);
            assertThat(h.serve.events("dtmf")).hasSize(2);
            var first = h.serve.events("dtmf").get(0).json();
            assertThat(first.path("dtmf").path("track").asText()).isEqualTo("inbound_track");
            assertThat(first.path("dtmf").path("digit").asText()).isEqualTo("1");
            assertThat(h.serve.events("dtmf").get(1).json().path("dtmf").path("digit").asText()).isEqualTo("#");
            assertThat(h.listener.of("dtmf")).extracting(e -> e.detail()).containsExactly("1", "#");
            assertThat(h.leg.stats().dtmfIn()).isEqualTo(2);
            h.leg.hangup("caller-hangup");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.closeCode() == 1000);
            assertThat(MediaStreamValidator.bridge().check(h.serve.texts())).isEmpty();
        }
    }

    @Test
    void aDigitFromSignallingIsForwardedToServe() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.leg.receivedDigit('5');
            h.leg.receivedDigit('x');
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("dtmf").size() == 1);
            assertThat(h.serve.events("dtmf").get(0).json().path("dtmf").path("digit").asText()).isEqualTo("5");
            assertThat(h.leg.stats().dtmfIn()).isEqualTo(1);
        }
    }

    @Test
    void reInviteWithoutSdpGetsTheCurrentSessionUnchanged() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("8 101");
            String current = h.leg.createOffer();
            assertThat(current).contains("m=audio " + h.leg.localRtpPort() + " RTP/AVP 8 101").doesNotContain("PCMU");
            assertThat(h.leg.createOffer()).isEqualTo(current);
            h.leg.acceptAnswer(h.peer.offer("8 101"), "127.0.0.1");
            assertThat(h.leg.stats().codec()).isEqualTo("PCMA/8000");
        }
    }

    @Test
    void digitsOutAreRfc4733EventsWithMarkerAndThreeEndPackets() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0 101");
            h.leg.sendDtmf("12#");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.peer.received().stream()
                    .filter(p -> p.payloadType() == 101 && (p.payload()[1] & 0x80) != 0).count() == 9);
            List<RtpPeer.Received> events = h.peer.received().stream().filter(p -> p.payloadType() == 101).toList();
            assertThat(events.stream().map(p -> p.payload()[0] & 0xFF).distinct()).containsExactly(1, 2, 11);
            for (int digit : new int[] {1, 2, 11}) {
                List<RtpPeer.Received> of = events.stream().filter(p -> (p.payload()[0] & 0xFF) == digit).toList();
                assertThat(of.get(0).marker()).isTrue();
                assertThat(of.stream().skip(1).noneMatch(RtpPeer.Received::marker)).isTrue();
                assertThat(of.stream().map(RtpPeer.Received::timestamp).distinct()).hasSize(1);
                assertThat(of.stream().filter(p -> (p.payload()[1] & 0x80) != 0)).hasSize(3);
                assertThat(of.stream().filter(p -> (p.payload()[1] & 0x80) == 0)
                        .map(p -> ((p.payload()[2] & 0xFF) << 8) | (p.payload()[3] & 0xFF)))
                        .containsExactly(160, 320, 480, 640, 800);
                assertThat(of.get(0).payload()[1] & 0x3F).isEqualTo(10);
            }
            List<RtpPeer.Received> all = h.peer.received();
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).sequence()).isEqualTo((all.get(i - 1).sequence() + 1) & 0xFFFF);
            }
            assertThat(h.leg.stats().dtmfOut()).isEqualTo(3);
        }
    }

    @Test
    void withoutTelephoneEventDigitsAreInBandTones() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            h.leg.sendDtmf("5");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.peer.received().stream()
                    .anyMatch(p -> p.payloadType() == 0 && io.voiceorder.fixtures.audio.Ulaw.energyDbfs(p.payload()) > -20));
            assertThat(h.peer.received().stream().noneMatch(p -> p.payloadType() == 101)).isTrue();
        }
    }

    @Test
    void rtpFromAForeignSourceNeverReachesServeAndIsCounted() throws Exception {
        try (LegHarness h = LegHarness.start(); RtpPeer stranger = RtpPeer.open("127.0.0.3")) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] loud = new byte[160];
            java.util.Arrays.fill(loud, (byte) 0x11);
            for (int i = 0; i < 10; i++) {
                stranger.send(RtpPeer.rtp(0, i == 0, i, 160L * i, 77, loud), h.leg.localRtpPort());
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> h.leg.stats().rtpForeign() == 10);
            Thread.sleep(200);
            assertThat(h.serve.events("media").stream().map(m -> m.json().path("media").path("payload").asText())
                    .noneMatch(p -> java.util.Base64.getDecoder().decode(p)[0] == 0x11)).isTrue();
            assertThat(h.leg.stats().rtpIn()).isZero();
            assertThat(h.engine.stats().rtpForeign()).isEqualTo(10);
        }
    }

    @Test
    void malformedRtpIsDroppedAndCounted() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            int port = h.leg.localRtpPort();
            h.peer.send(new byte[] {1, 2, 3}, port);
            h.peer.send(new byte[] {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5}, port);
            h.peer.send(RtpPeer.rtp(18, false, 1, 0, 5, new byte[20]), port);
            byte[] badCsrc = RtpPeer.rtp(0, false, 1, 0, 5, new byte[4]);
            badCsrc[0] = (byte) 0x8F;
            h.peer.send(badCsrc, port);
            h.peer.send(RtpPeer.rtp(0, false, 1, 0, 5, new byte[3000]), port);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.leg.stats().rtpInvalid() == 5);
            assertThat(h.leg.stats().rtpIn()).isZero();
            // The call still latches on its first valid packet afterwards.
            h.peer.send(RtpPeer.rtp(0, true, 2, 160, 5, new byte[160]), port);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.leg.stats().rtpIn() == 1);
            assertThat(h.leg.stats().remote()).isEqualTo("127.0.0.1:" + h.peer.port());
        }
    }

    @Test
    void ssrcChangeResetsPlayoutAndAudioKeepsFlowing() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] a = new byte[160 * 10];
            java.util.Arrays.fill(a, (byte) 0x21);
            byte[] b = new byte[160 * 10];
            java.util.Arrays.fill(b, (byte) 0x22);
            h.sendFrames(0, a, 100, 1_000_000, 1);
            h.sendFrames(0, b, 9000, 77, 2);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("media").stream()
                    .anyMatch(m -> java.util.Base64.getDecoder().decode(m.json().path("media").path("payload").asText())[0] == 0x22));
            assertThat(h.leg.stats().rtpIn()).isEqualTo(20);
        }
    }

    @Test
    void rtpTimeoutFiresWhenTheCallerSendsNothing() throws Exception {
        try (LegHarness h = LegHarness.start(uri -> LegHarness.settings(uri, 0, 0, false, 1, null))) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> !h.listener.of("rtpTimeout").isEmpty());
            Thread.sleep(200);
            assertThat(h.listener.of("rtpTimeout")).hasSize(1);
        }
    }

    @Test
    void holdStopsRtpButServeKeepsGettingSilenceAndMarksStillFlow() throws Exception {
        try (LegHarness h = LegHarness.start(uri -> LegHarness.settings(uri, 0, 0, false, 1, null))) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            String hold = h.peer.offer("0").replace("a=sendrecv", "a=sendonly");
            String answer = h.leg.reoffer(hold, "127.0.0.1");
            assertThat(answer).contains("a=recvonly").contains("m=audio " + h.leg.localRtpPort());
            Thread.sleep(100);
            int before = h.peer.received().size();
            int mediaBefore = h.serve.events("media").size();
            h.serve.sendMedia(h.sid, new byte[1600]);
            h.serve.sendMark(h.sid, "held");
            Thread.sleep(1500);
            assertThat(h.peer.received().size()).isEqualTo(before);
            assertThat(h.serve.events("media").size() - mediaBefore).isGreaterThan(50);
            assertThat(h.serve.events("mark")).hasSize(1);
            // --rtp-timeout is suspended on hold.
            assertThat(h.listener.of("rtpTimeout")).isEmpty();
            long lastSeq = h.peer.received().get(before - 1).sequence();
            h.leg.reoffer(h.peer.offer("0"), "127.0.0.1");
            await().atMost(Duration.ofSeconds(1)).until(() -> h.peer.received().size() > before);
            assertThat(h.peer.received().get(before).sequence()).isEqualTo((lastSeq + 1) & 0xFFFF);
            assertThat(h.serve.upgrades()).hasSize(1);
        }
    }

    @Test
    void vadSendsNothingOnUnderflowAndMarksTalkspurtStarts() throws Exception {
        try (LegHarness h = LegHarness.start(uri -> LegHarness.settings(uri, 0, 0, true, 0, null))) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            Thread.sleep(300);
            assertThat(h.peer.received()).isEmpty();
            h.serve.sendMedia(h.sid, new byte[800]);
            await().atMost(Duration.ofSeconds(1)).until(() -> h.peer.received().size() == 5);
            Thread.sleep(300);
            h.serve.sendMedia(h.sid, new byte[320]);
            await().atMost(Duration.ofSeconds(1)).until(() -> h.peer.received().size() == 7);
            List<RtpPeer.Received> p = h.peer.received();
            assertThat(p.get(0).marker()).isTrue();
            assertThat(p.get(1).marker()).isFalse();
            assertThat(p.get(5).marker()).isTrue();
            assertThat(p.get(5).sequence()).isEqualTo((p.get(4).sequence() + 1) & 0xFFFF);
            long ticks = ((p.get(5).timestamp() - p.get(4).timestamp()) & 0xFFFFFFFFL) / 160;
            assertThat(ticks).isGreaterThan(10);
            assertThat((p.get(5).timestamp() - p.get(4).timestamp()) % 160).isZero();
        }
    }

    @Test
    void rtcpReportsAreSentAndReceivedReportsGiveRemoteFigures() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] frame = new byte[160];
            h.sendFrames(0, new byte[160 * 10], 1, 0, 0xABC);
            await().atMost(Duration.ofSeconds(9)).until(() -> !h.peer.rtcpReceived().isEmpty());
            byte[] compound = h.peer.rtcpReceived().get(0).data();
            assertThat(compound[1] & 0xFF).isEqualTo(Rtcp.SR);
            assertThat(new String(compound, StandardCharsets.ISO_8859_1)).contains("@voiceorder");
            Rtcp.Received parsed = Rtcp.parse(ByteBuffer.wrap(compound), 0xABC);
            assertThat(parsed).isNotNull();
            assertThat(parsed.aboutUs()).isNotNull();
            assertThat(parsed.aboutUs().highestSequence()).isEqualTo(10);

            long ourSsrc = h.peer.received().get(0).ssrc();
            ByteBuffer rr = ByteBuffer.allocate(64);
            Rtcp.writeCompound(rr, 0xABC, false, 0, 0, 0, 0,
                    new Rtcp.ReportBlock(ourSsrc, 64, 3, 100, 80, 0, 0), Rtcp.cname("peer@test"), false);
            h.peer.sendRtcp(java.util.Arrays.copyOf(rr.array(), rr.position()), h.leg.localRtpPort() + 1);
            await().atMost(Duration.ofSeconds(2)).until(() -> h.leg.stats().remoteLossFraction() != null);
            assertThat(h.leg.stats().remoteLossFraction()).isEqualTo(0.25);
            assertThat(h.leg.stats().remoteJitterMs()).isEqualTo(10.0);
            assertThat(frame).hasSize(160);
        }
    }

    @Test
    void portsRunOutAndComeBackAfterTheQuarantine() throws Exception {
        try (var serve = io.voiceorder.bridge.support.FakeServe.start()) {
            int low = 40000 + 2 * java.util.concurrent.ThreadLocalRandom.current().nextInt(5000);
            MediaSettings one = new MediaSettings("127.0.0.1", null, low, low + 1, 60, 0, 0, false, 0, 0, serve.uri(), null,
                    null, LegHarness.ACCOUNT_SID);
            try (MediaEngine engine = new MediaEngine(one)) {
                MediaLeg first = engine.openLeg("a");
                assertThat(first.localRtpPort()).isEqualTo(low);
                assertThatThrownBy(() -> engine.openLeg("b")).isInstanceOf(PortsExhaustedException.class);
                assertThat(engine.stats().rtpPortsInUse()).isEqualTo(2);
                first.close();
                first.close();
                assertThat(engine.stats().liveLegs()).isZero();
                assertThatThrownBy(() -> engine.openLeg("c")).isInstanceOf(PortsExhaustedException.class);
                await().atMost(Duration.ofSeconds(7)).until(() -> engine.stats().rtpPortsInUse() == 0);
                engine.openLeg("d").close();
            }
        }
    }

    @Test
    void unusableOffersAreRejectedWith488() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            MediaLeg leg = h.engine.openLeg("sdp");
            h.leg = leg;
            String g729 = h.peer.offer("18").replace("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n", "a=rtpmap:18 G729/8000\r\n");
            assertThatThrownBy(() -> leg.answer(g729, "127.0.0.1")).isInstanceOf(SdpRejectedException.class)
                    .satisfies(e -> assertThat(((SdpRejectedException) e).sipStatus()).isEqualTo(488));
            String srtp = h.peer.offer("0").replace("RTP/AVP", "RTP/SAVP");
            assertThatThrownBy(() -> leg.answer(srtp, "127.0.0.1")).isInstanceOf(SdpRejectedException.class)
                    .satisfies(e -> assertThat(((SdpRejectedException) e).sipStatus()).isEqualTo(488));
            assertThatThrownBy(() -> leg.answer("garbage", "127.0.0.1")).isInstanceOf(SdpRejectedException.class)
                    .satisfies(e -> assertThat(((SdpRejectedException) e).sipStatus()).isEqualTo(400));
            assertThat(h.serve.upgrades()).isEmpty();
        }
    }
}
