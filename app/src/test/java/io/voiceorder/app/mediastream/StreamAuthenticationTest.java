package io.voiceorder.app.mediastream;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import io.voiceorder.fixtures.twilio.UpgradeRefusedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Who may open /media-stream, decided before the WebSocket exists. */
class StreamAuthenticationTest {
    private static final String SECRET = "bridge-secret-9d2e";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aWrongSignatureGets403AndOpensNoOpenAiSocket() {
        try (ServeHarness h = ServeHarness.start(Map.of("MEDIA_STREAM_SECRET", SECRET))) {
            String forged = TwilioSignature.sign("not-the-secret", h.streamUri().toString());
            assertThatThrownBy(() -> h.call(SimulatorOptions.twilioCall().withHeader("X-Twilio-Signature", forged)))
                    .isInstanceOf(UpgradeRefusedException.class)
                    .satisfies(e -> assertThat(((UpgradeRefusedException) e).status()).isEqualTo(403));
            assertThatThrownBy(() -> h.call(SimulatorOptions.twilioCall()))
                    .satisfies(e -> assertThat(((UpgradeRefusedException) e).status()).isEqualTo(403));
            assertThat(h.openai.connectionCount()).isZero();
            assertThat(h.get("/metrics").body())
                    .contains("voiceorder_requests_rejected_total{endpoint=\"media-stream\",reason=\"signature\"} 2.0");
        }
    }

    @Test
    void anUpgradeSignedWithTheMediaStreamSecretOverTheDialledUrlIsAccepted() {
        try (ServeHarness h = ServeHarness.start(Map.of("MEDIA_STREAM_SECRET", SECRET))) {
            String signature = TwilioSignature.sign(SECRET, "ws://127.0.0.1:" + h.port + "/media-stream");
            try (TwilioStreamSimulator caller = h.call(SimulatorOptions.twilioCall().withHeader("X-Twilio-Signature", signature))) {
                h.openai.awaitSession(0, WAIT).awaitEvent("session.update", WAIT);
                assertThat(caller.isOpen()).isTrue();
            }
        }
    }

    @Test
    void aTwilioSignatureOverThePublicUrlIsAccepted() {
        try (ServeHarness h = ServeHarness.start(Map.of("TWILIO_AUTH_TOKEN", "twilio-token-77",
                "PUBLIC_URL", "https://voice.example.com"))) {
            String signature = TwilioSignature.sign("twilio-token-77", "wss://voice.example.com/media-stream");
            try (TwilioStreamSimulator caller = h.call(SimulatorOptions.twilioCall().withHeader("X-Twilio-Signature", signature))) {
                h.openai.awaitSession(0, WAIT).awaitEvent("session.update", WAIT);
            }
        }
    }

    @Test
    void withNoKeyOnlyUnforwardedLoopbackStreamsAreAccepted() {
        try (LogCapture logs = new LogCapture(); ServeHarness h = ServeHarness.start()) {
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("accepts unsigned connections from this machine only"));
            assertThatThrownBy(() -> h.call(SimulatorOptions.twilioCall().withHeader("X-Forwarded-For", "203.0.113.9")))
                    .satisfies(e -> assertThat(((UpgradeRefusedException) e).status()).isEqualTo(403));
            assertThat(h.openai.connectionCount()).isZero();
            try (TwilioStreamSimulator caller = h.call()) {
                await().atMost(WAIT).until(() -> h.openai.connectionCount() == 1);
            }
        }
    }

    @Test
    void overCapacityUpgradesGet429() {
        try (ServeHarness h = ServeHarness.start(Map.of("MAX_PARALLEL_CALLS", "1"));
             TwilioStreamSimulator first = h.call()) {
            h.openai.awaitSession(0, WAIT).awaitEvent("session.update", WAIT);
            assertThatThrownBy(h::call)
                    .satisfies(e -> assertThat(((UpgradeRefusedException) e).status()).isEqualTo(429));
            assertThat(h.openai.connectionCount()).isEqualTo(1);
        }
    }
}
