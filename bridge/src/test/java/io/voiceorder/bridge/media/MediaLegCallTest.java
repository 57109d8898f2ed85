package io.voiceorder.bridge.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.audio.G711;
import io.voiceorder.bridge.support.FakeServe;
import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole call's media against a real RTP peer and a stand-in serve, both on 127.0.0.1. */
class MediaLegCallTest {

    private static byte[] pattern(int length) {
        byte[] audio = new byte[length];
        for (int i = 0; i < length; i++) {
            // Every µ-law code except the two zero codes, so silence padding cannot pass for audio.
            audio[i] = (byte) (i % 254);
        }
        return audio;
    }

    private static byte[] servedAudio(FakeServe serve) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FakeServe.Message m : serve.events("media")) {
            out.writeBytes(Base64.getDecoder().decode(m.json().path("media").path("payload").asText()));
        }
        return out.toByteArray();
    }

    private static List<RtpPeer.Received> audioPackets(RtpPeer peer, int pt) {
        return peer.received().stream().filter(r -> r.payloadType() == pt).toList();
    }

    @Test
    void startCarriesTwilioFieldsAndCallerAudioReachesServeBitExact() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0 8 101");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            JsonNode start = h.serve.events("start").get(0).json();
            assertThat(h.serve.messages().get(0).event()).isEqualTo("connected");
            assertThat(start.path("sequenceNumber").asText()).isEqualTo("1");
            assertThat(start.path("streamSid").asText()).isEqualTo(h.sid);
            assertThat(start.path("start").path("callSid").asText()).isEqualTo(h.sid);
            assertThat(start.path("start").path("accountSid").asText()).matches("^AC[0-9a-f]{32}$");
            JsonNode params = start.path("start").path("customParameters");
            assertThat(params.path("callerPhone").asText()).isEqualTo("+33612345678");
            assertThat(params.path("direction").asText()).isEqualTo("inbound");
            assertThat(params.path("to").asText()).isEqualTo("+33972360682");
            assertThat(params.path("restaurantId").asText()).isEqualTo("r1");
            assertThat(params.has("callSid")).isFalse();
            assertThat(start.path("start").path("mediaFormat").path("sampleRate").isInt()).isTrue();

            byte[] audio = pattern(160 * 40);
            h.sendFrames(0, audio, 65500, 4294967000L, 0x1234);
            await().atMost(Duration.ofSeconds(3)).until(() -> Bytes.indexOf(servedAudio(h.serve), audio) >= 0);

            h.leg.hangup("caller-hangup");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.closeCode() == 1000);
            List<String> texts = h.serve.texts();
            assertThat(MediaStreamValidator.bridge().check(texts)).isEmpty();
            assertThat(h.serve.messages().get(texts.size() - 1).event()).isEqualTo("stop");
            MediaLegStats stats = h.leg.stats();
            assertThat(stats.rtpIn()).isEqualTo(40);
            assertThat(stats.lostIn()).isZero();
            assertThat(stats.codec()).isEqualTo("PCMU/8000");
            assertThat(h.engine.stats().wsDisconnects()).containsExactly(java.util.Map.entry("normal", 1L));
            assertThat(h.engine.stats().wsConnects()).containsExactly(java.util.Map.entry("ok", 1L));
        }
    }

    @Test
    void servesAudioIsPacedAsRtpWithMarksEchoedAfterPlayout() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0 101");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] audio = pattern(8000);
            h.serve.sendMedia(h.sid, audio);
            h.serve.sendMark(h.sid, "one-second");
            await().atMost(Duration.ofSeconds(4)).until(() -> h.serve.events("mark").size() == 1);
            long echoedAt = h.serve.events("mark").get(0).arrivalNanos();

            List<RtpPeer.Received> packets = audioPackets(h.peer, 0);
            int first = -1;
            for (int i = 0; i < packets.size(); i++) {
                if (packets.get(i).payload()[0] == audio[0] && packets.get(i).payload()[1] == audio[1]) {
                    first = i;
                    break;
                }
            }
            assertThat(first).isGreaterThanOrEqualTo(0);
            ByteArrayOutputStream played = new ByteArrayOutputStream();
            for (int i = first; i < first + 50; i++) {
                played.writeBytes(packets.get(i).payload());
            }
            assertThat(played.toByteArray()).isEqualTo(audio);
            RtpPeer.Received last = packets.get(first + 49);
            // The echo leaves after the packet with the mark's last byte (allow for loopback scheduling).
            assertThat(echoedAt).isGreaterThan(last.arrivalNanos() - 5_000_000L);
            long extraTicks = 0;
            for (int i = 1; i < packets.size(); i++) {
                assertThat(packets.get(i).sequence()).isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
                long step = (packets.get(i).timestamp() - packets.get(i - 1).timestamp()) & 0xFFFFFFFFL;
                // +160 per tick; a tick the pacer had to skip (an overloaded machine) advances it 160 more.
                assertThat(step % 160).isZero();
                assertThat(step).isPositive();
                extraTicks += step / 160 - 1;
                assertThat(packets.get(i).marker()).isFalse();
            }
            assertThat(extraTicks).isLessThanOrEqualTo(h.leg.stats().missedTicks());
            assertThat(packets.get(0).marker()).isTrue();
            // Underflow afterwards: silence packets keep flowing.
            int firstAudio = first;
            await().atMost(Duration.ofSeconds(2)).until(() -> audioPackets(h.peer, 0).size() > firstAudio + 60);
            assertThat(audioPackets(h.peer, 0).get(firstAudio + 55).payload()).containsOnly((byte) 0xFF);
            assertThat(h.leg.stats().paceGapP99Ms()).isNotNull();
            assertThat(h.leg.stats().marksEchoed()).isEqualTo(1);
        }
    }

    @Test
    void markWithNothingQueuedIsEchoedAtOnceAndFinalPartialFrameIsPadded() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.sendMark(h.sid, "empty");
            await().atMost(Duration.ofSeconds(1)).until(() -> h.serve.events("mark").size() == 1);
            byte[] tail = pattern(100);
            h.serve.sendMedia(h.sid, tail);
            h.serve.sendMark(h.sid, "tail");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("mark").size() == 2);
            assertThat(h.serve.events("mark").get(1).json().path("mark").path("name").asText()).isEqualTo("tail");
            RtpPeer.Received padded = audioPackets(h.peer, 0).stream()
                    .filter(p -> p.payload()[0] == tail[0] && p.payload()[1] == tail[1]).findFirst().orElseThrow();
            assertThat(java.util.Arrays.copyOf(padded.payload(), 100)).isEqualTo(tail);
            assertThat(java.util.Arrays.copyOfRange(padded.payload(), 100, 160)).containsOnly((byte) 0xFF);
        }
    }

    @Test
    void clearEchoesEveryPendingMarkAtOnceInOrderAndKeepsSequenceUnbroken() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.sendMedia(h.sid, pattern(8000));
            h.serve.sendMark(h.sid, "a");
            h.serve.sendMedia(h.sid, pattern(8000));
            h.serve.sendMark(h.sid, "b");
            h.serve.sendMedia(h.sid, pattern(8000));
            h.serve.sendMark(h.sid, "c");
            Thread.sleep(500);
            h.serve.sendClear(h.sid);
            await().atMost(Duration.ofSeconds(1)).until(() -> h.serve.events("mark").size() == 3);
            assertThat(h.serve.events("mark").stream().map(m -> m.json().path("mark").path("name").asText()))
                    .containsExactly("a", "b", "c");
            Thread.sleep(200);
            List<RtpPeer.Received> packets = audioPackets(h.peer, 0);
            assertThat(packets.get(packets.size() - 1).payload()).containsOnly((byte) 0xFF);
            for (int i = 1; i < packets.size(); i++) {
                assertThat(packets.get(i).sequence()).isEqualTo((packets.get(i - 1).sequence() + 1) & 0xFFFF);
            }
            MediaLegStats stats = h.leg.stats();
            assertThat(stats.clears()).isEqualTo(1);
            assertThat(stats.discardedMs()).isBetween(2000L, 2700L);
            h.leg.hangup("caller-hangup");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.closeCode() == 1000);
            assertThat(MediaStreamValidator.bridge().check(h.serve.texts())).isEmpty();
        }
    }

    @Test
    void pcmaCallConvertsBothWaysByTheG711Tables() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("8 101");
            assertThat(h.leg.stats().codec()).isEqualTo("PCMA/8000");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] alaw = pattern(160 * 20);
            h.sendFrames(8, alaw, 1, 1000, 0x99);
            byte[] expected = alaw.clone();
            G711.alawToUlaw(expected, 0, expected.length);
            await().atMost(Duration.ofSeconds(3)).until(() -> Bytes.indexOf(servedAudio(h.serve), expected) >= 0);

            byte[] ulaw = pattern(1600);
            h.serve.sendMedia(h.sid, ulaw);
            byte[] expectedOut = ulaw.clone();
            G711.ulawToAlaw(expectedOut, 0, expectedOut.length);
            await().atMost(Duration.ofSeconds(3)).until(() -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                audioPackets(h.peer, 8).forEach(p -> all.writeBytes(p.payload()));
                return Bytes.indexOf(all.toByteArray(), expectedOut) >= 0;
            });
            // Underflow silence in A-law.
            assertThat(audioPackets(h.peer, 8).get(0).payload()).containsOnly((byte) 0xD5);
        }
    }

    @Test
    void gainsAreAppliedBothWays() throws Exception {
        try (LegHarness h = LegHarness.start(uri -> LegHarness.settings(uri, -6.0, 6.0, false, 0, null))) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] tone = Ulaw.tone(440, 400, 0.3);
            h.sendFrames(0, tone, 1, 0, 7);
            h.serve.sendMedia(h.sid, tone);
            await().atMost(Duration.ofSeconds(3)).until(() -> Ulaw.energyDbfs(servedAudio(h.serve)) > -30);
            await().atMost(Duration.ofSeconds(3)).until(() -> audioPackets(h.peer, 0).stream()
                    .anyMatch(p -> Ulaw.energyDbfs(p.payload()) > -30));
            double in = Ulaw.energyDbfs(tone);
            byte[] served = servedAudio(h.serve);
            double loudestServed = -200;
            for (int i = 0; i + 160 <= served.length; i += 160) {
                loudestServed = Math.max(loudestServed, Ulaw.energyDbfs(served, i, 160));
            }
            double loudestSent = audioPackets(h.peer, 0).stream().mapToDouble(p -> Ulaw.energyDbfs(p.payload())).max().orElseThrow();
            assertThat(loudestServed - in).isBetween(-6.6, -5.4);
            assertThat(loudestSent - in).isBetween(5.4, 6.6);
        }
    }

    @Test
    void afterAPacerStallServeStillGetsOneFramePerTwentyMilliseconds() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("media").size() >= 5);
            long t0 = h.serve.events("media").get(0).arrivalNanos();
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            var stall = h.engine.pacer().add((now, skipped) -> {
                if (stalled.compareAndSet(false, true)) {
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Thread.sleep(1000);
            stall.cancel();
            assertThat(h.leg.stats().missedTicks()).isGreaterThanOrEqualTo(5);
            List<FakeServe.Message> media = h.serve.events("media");
            long last = media.get(media.size() - 1).arrivalNanos();
            long periods = (last - t0) / 20_000_000L;
            // Frames of the skipped ticks were sent on the next pass: no hole in stream time.
            assertThat((long) media.size() - 1).isGreaterThanOrEqualTo(periods - 2);
            assertThat(MediaStreamValidator.bridge().check(h.serve.texts())).isEmpty();
        }
    }
}
