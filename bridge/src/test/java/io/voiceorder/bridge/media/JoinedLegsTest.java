package io.voiceorder.bridge.media;

import io.voiceorder.bridge.audio.G711;
import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Bridged transfer: the caller's leg leaves serve and is joined with the transfer target's leg. */
class JoinedLegsTest {

    private static byte[] heard(RtpPeer peer, int pt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        peer.received().stream().filter(p -> p.payloadType() == pt).forEach(p -> out.writeBytes(p.payload()));
        return out.toByteArray();
    }

    @Test
    void joinedLegsCarryEachOthersAudioInTheirOwnCodecs() throws Exception {
        try (LegHarness h = LegHarness.start(); RtpPeer callee = RtpPeer.open()) {
            h.answeredCall("0 101");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            try (MediaLeg target = h.engine.openLeg("transfer-target")) {
                assertThat(target.createOffer()).contains("RTP/AVP 0 8 101");
                target.acceptAnswer(callee.offer("8"), "127.0.0.1");
                assertThatThrownBy(() -> h.leg.joinWith(h.leg)).isInstanceOf(IllegalArgumentException.class);
                h.leg.joinWith(target);

                await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.closeCode() == 1000);
                assertThat(MediaStreamValidator.bridge().check(h.serve.texts())).isEmpty();

                byte[] callerSpeech = new byte[160 * 25];
                for (int i = 0; i < callerSpeech.length; i++) {
                    callerSpeech[i] = (byte) (i % 100 + 1);
                }
                h.sendFrames(0, callerSpeech, 1, 0, 11);
                byte[] expectedAtCallee = callerSpeech.clone();
                G711.ulawToAlaw(expectedAtCallee, 0, expectedAtCallee.length);
                await().atMost(Duration.ofSeconds(2)).until(() -> Bytes.indexOf(heard(callee, 8), expectedAtCallee) >= 0);

                byte[] calleeSpeech = new byte[160 * 25];
                Arrays.fill(calleeSpeech, (byte) 0x2A);
                long t0 = System.nanoTime();
                for (int i = 0; i < 25; i++) {
                    callee.send(RtpPeer.rtp(8, i == 0, 100 + i, 160L * i, 22, Arrays.copyOfRange(calleeSpeech, i * 160, (i + 1) * 160)),
                            target.localRtpPort());
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, t0 + (i + 1) * 20_000_000L - System.nanoTime()));
                }
                byte[] expectedAtCaller = calleeSpeech.clone();
                G711.alawToUlaw(expectedAtCaller, 0, expectedAtCaller.length);
                await().atMost(Duration.ofSeconds(2)).until(() -> Bytes.indexOf(heard(h.peer, 0), expectedAtCaller) >= 0);

                assertThat(target.stats().state()).isEqualTo("joined");
                assertThatThrownBy(() -> target.joinWith(h.leg)).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
