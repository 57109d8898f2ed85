package io.voiceorder.bridge.media;

import io.voiceorder.bridge.support.FakeServe;
import io.voiceorder.bridge.support.LegHarness;
import io.voiceorder.bridge.support.RecordingListener;
import io.voiceorder.bridge.support.RtpPeer;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The stream to serve failing: refused upgrades, no listener, serve leaving mid-call, bad input. */
class StreamFailureTest {

    private static final String SECRET = "media-stream-secret-for-tests";

    @ParameterizedTest
    @ValueSource(ints = {403, 429})
    void refusedUpgradeIsUnreachableWithinTwoSeconds(int status) throws Exception {
        try (FakeServe serve = FakeServe.refusing(status);
             MediaEngine engine = new MediaEngine(LegHarness.settings(serve.uri()));
             MediaLeg leg = engine.openLeg("refused-" + status)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> leg.connectStream(LegHarness.streamStart(), new RecordingListener()).get(3, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StreamUnreachableException.class)
                    .satisfies(e -> {
                        assertThat(((StreamUnreachableException) e).httpStatus()).isEqualTo(status);
                        assertThat(((StreamUnreachableException) e).result()).isEqualTo("rejected");
                    });
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2) + TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(engine.stats().wsConnects()).containsEntry("rejected", 1L);
            assertThatThrownBy(leg::startMedia).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI target = URI.create("ws://127.0.0.1:" + port + "/media-stream");
        try (MediaEngine engine = new MediaEngine(LegHarness.settings(target));
             MediaLeg leg = engine.openLeg("closed-port")) {
            assertThatThrownBy(() -> leg.connectStream(LegHarness.streamStart(), new RecordingListener()).get(3, TimeUnit.SECONDS))
                    .cause().isInstanceOf(StreamUnreachableException.class)
                    .satisfies(e -> assertThat(((StreamUnreachableException) e).result()).isEqualTo("refused"));
            assertThat(engine.stats().wsLastConnect()).isEqualTo("refused");
        }
    }

    @Test
    void silentServerTimesOutWithinTwoSeconds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            URI target = URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/media-stream");
            try (MediaEngine engine = new MediaEngine(LegHarness.settings(target));
                 MediaLeg leg = engine.openLeg("silent")) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> leg.connectStream(LegHarness.streamStart(), new RecordingListener()).get(4, TimeUnit.SECONDS))
                        .cause().isInstanceOf(StreamUnreachableException.class)
                        .satisfies(e -> assertThat(((StreamUnreachableException) e).result()).isEqualTo("timeout"));
                assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.MILLISECONDS.toNanos(2600));
                // The abandoned socket is closed, not left open: the silent server reads the request, then its end.
                silent.setSoTimeout(2000);
                try (Socket accepted = silent.accept()) {
                    accepted.setSoTimeout(2000);
                    String request = new String(accepted.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(request).startsWith("GET /media-stream HTTP/1.1");
                }
            }
        }
    }

    @Test
    void upgradeIsSignedWithTheSecretOverTheWssUrlAndNamesTheBridge() throws Exception {
        try (LegHarness h = LegHarness.start(uri -> LegHarness.settings(uri, 0, 0, false, 0, SECRET))) {
            h.answeredCall("0");
            var upgrade = h.serve.upgrades().get(0);
            String url = "wss://127.0.0.1:" + h.serve.port() + "/media-stream";
            assertThat(upgrade.get("X-Twilio-Signature")).isEqualTo(TwilioSignature.sign(SECRET, url));
            assertThat(upgrade.get("User-Agent")).isEqualTo("VoiceOrder-Bridge");
            assertThat(upgrade.get(":path")).isEqualTo("/media-stream");
        }
    }

    @Test
    void withoutSecretNoSignatureHeader() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            assertThat(h.serve.upgrades().get(0)).doesNotContainKey("X-Twilio-Signature");
        }
    }

    @Test
    void streamOpensOnlyOnce() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            assertThatThrownBy(() -> h.leg.connectStream(LegHarness.streamStart(), h.listener))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(h.serve.upgrades()).hasSize(1);
        }
    }

    @Test
    void serveClosingPlaysTheQueuedAudioThenAsksForHangUp() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] twoSeconds = new byte[16000];
            java.util.Arrays.fill(twoSeconds, (byte) 0x35);
            h.serve.sendMedia(h.sid, twoSeconds);
            Thread.sleep(100);
            h.serve.closeNormally();
            await().atMost(Duration.ofSeconds(4)).until(() -> !h.listener.of("serveHangup").isEmpty());
            assertThat(h.listener.of("serveHangup").get(0).detail()).isEqualTo("app-hangup");
            List<RtpPeer.Received> audio = h.peer.received().stream()
                    .filter(p -> p.payloadType() == 0 && p.payload()[0] == 0x35).toList();
            assertThat(audio).hasSize(100);
            long lastAudio = audio.get(audio.size() - 1).arrivalNanos();
            assertThat(h.listener.of("serveHangup").get(0).atNanos() - lastAudio).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(h.listener.of("streamLost")).isEmpty();
            assertThat(h.engine.stats().wsDisconnects()).containsEntry("normal", 1L);
        }
    }

    @Test
    void serveStopIsAHangUpAnsweredWithStop() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.sendMedia(h.sid, new byte[800]);
            h.serve.send("{\"event\":\"stop\",\"streamSid\":\"" + h.sid + "\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.closeCode() == 1000);
            assertThat(h.serve.events("stop")).hasSize(1);
            assertThat(MediaStreamValidator.bridge().check(h.serve.texts())).isEmpty();
            await().atMost(Duration.ofSeconds(2)).until(() -> !h.listener.of("serveHangup").isEmpty());
            assertThat(h.listener.of("serveHangup").get(0).detail()).isEqualTo("app-hangup");
        }
    }

    @Test
    void serveDroppingTheConnectionIsLostAfterTheQueuedAudio() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            byte[] oneSecond = new byte[8000];
            java.util.Arrays.fill(oneSecond, (byte) 0x36);
            h.serve.sendMedia(h.sid, oneSecond);
            Thread.sleep(100);
            h.serve.dropAbruptly();
            await().atMost(Duration.ofSeconds(3)).until(() -> !h.listener.of("streamLost").isEmpty());
            assertThat(h.listener.of("streamLost").get(0).detail()).isEqualTo("ws-lost");
            long played = h.peer.received().stream().filter(p -> p.payloadType() == 0 && p.payload()[0] == 0x36).count();
            assertThat(played).isEqualTo(50);
            assertThat(h.listener.of("serveHangup")).isEmpty();
        }
    }

    @Test
    void garbageFromServeIsDroppedAndCountedAndTheCallGoesOn() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.send("{\"event\":\"media\",\"media\":");
            h.serve.send("[1,2,3]");
            h.serve.send("{\"event\":\"media\",\"streamSid\":\"" + h.sid + "\",\"media\":{\"payload\":12}}");
            h.serve.send("{\"event\":\"media\",\"streamSid\":\"" + h.sid + "\",\"media\":{\"payload\":\"%%%not base64\"}}");
            h.serve.send("{\"event\":\"ping\",\"streamSid\":\"" + h.sid + "\"}");
            h.serve.send("{\"event\":\"mark\",\"streamSid\":\"MZsomebodyelse\",\"mark\":{\"name\":\"x\"}}");
            h.serve.send("{\"sequenceNumber\":\"1\"}");
            h.serve.sendMark(h.sid, "still-alive");
            await().atMost(Duration.ofSeconds(2)).until(() -> h.serve.events("mark").size() == 1);
            assertThat(h.serve.events("mark").get(0).json().path("mark").path("name").asText()).isEqualTo("still-alive");
            var dropped = h.engine.stats().wsMessagesDropped();
            assertThat(dropped).containsEntry("malformed", 2L).containsEntry("bad_payload", 2L)
                    .containsEntry("unknown_event", 2L).containsEntry("wrong_stream", 1L);
            assertThat(h.listener.events()).isEmpty();
            assertThat(h.serve.closeCode()).isEqualTo(-1);
        }
    }

    @Test
    void binaryFrameIsDropped() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.connected());
            h.serve.sendBinary(new byte[] {0, 1, 2, 3, 4});
            await().atMost(Duration.ofSeconds(2)).until(() -> h.engine.stats().wsMessagesDropped().getOrDefault("malformed", 0L) == 1L);
            assertThat(h.serve.closeCode()).isEqualTo(-1);
        }
    }

    @Test
    void oversizedMessageClosesWithMessageTooBigAndIsALostStream() throws Exception {
        try (LegHarness h = LegHarness.start()) {
            h.answeredCall("0");
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.events("start").size() == 1);
            h.serve.sendMedia(h.sid, new byte[56_000]);
            await().atMost(Duration.ofSeconds(3)).until(() -> !h.listener.of("streamLost").isEmpty());
            await().atMost(Duration.ofSeconds(3)).until(() -> h.serve.closeCode() != -1);
            // RFC 6455 §7.4.1 and bridge.md §7.3: 1009, message too big.
            assertThat(h.serve.closeCode()).as("close code").isEqualTo(1009);
            assertThat(h.engine.stats().wsDisconnects()).containsEntry("oversize", 1L);
        }
    }
}
