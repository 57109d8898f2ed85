package io.voiceorder.app.health;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioSignature;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HealthAndMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void healthAnswersWithoutContactingOpenAi() {
        try (ServeHarness h = ServeHarness.start()) {
            var r = h.get("/health");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"ok\"").contains("\"activeCalls\":0").contains("\"maxParallelCalls\":10")
                    .contains("\"lastSessionOk\":null").contains("\"loopbackOnly\":true").doesNotContain(ServeHarness.API_KEY);
            assertThat(h.openai.connectionCount()).isZero();
            assertThat(h.get("/").body()).contains("VoiceOrder — voice server").contains("/incoming-call");
            assertThat(h.get("/nowhere").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void metricsExposeTheSeriesAndCountACall() {
        try (ServeHarness h = ServeHarness.start()) {
            h.openai.script().sayAndCall(Ulaw.tone(300, 400, 0.2), "Au revoir.", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                caller.closed().orTimeout(15, TimeUnit.SECONDS).join();
            }
            await().atMost(WAIT).until(() -> h.get("/metrics").body().contains("voiceorder_calls_total{outcome=\"abandoned\"} 1.0"));
            var r = h.get("/metrics");
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            assertThat(r.body()).contains("voiceorder_calls_active{mode=\"twilio\"} 0.0")
                    .contains("voiceorder_relay_latency_seconds_bucket{direction=\"uplink\"")
                    .contains("voiceorder_relay_latency_seconds_bucket{direction=\"downlink\"")
                    .contains("voiceorder_time_to_first_audio_seconds_count 1")
                    .containsPattern("voiceorder_openai_tokens_total\\{kind=\"audio_out\"} [1-9]")
                    .contains("voiceorder_tool_calls_total{result=\"success\",tool=\"end_call\"} 1.0")
                    .contains("voiceorder_frames_dropped_total{reason=\"before_session\"}")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void noSecretEverReachesTheLogsAndCallerNumbersAreMasked() {
        String secret = "media-secret-5c1f8e";
        String token = "twilio-token-a93b2";
        try (LogCapture logs = new LogCapture();
             ServeHarness h = ServeHarness.start(Map.of("MEDIA_STREAM_SECRET", secret, "TWILIO_AUTH_TOKEN", token))) {
            String signature = TwilioSignature.sign(secret, h.streamUri().toString());
            h.openai.script().sayAndCall(Ulaw.tone(300, 200, 0.2), "Au revoir.", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call(SimulatorOptions.twilioCall().withHeader("X-Twilio-Signature", signature))) {
                caller.closed().orTimeout(15, TimeUnit.SECONDS).join();
            }
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.contains("call ended")));
            assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains(ServeHarness.API_KEY) || l.contains(secret)
                    || l.contains(token) || l.contains(signature) || l.contains("+33612345678"));
            assertThat(logs.lines()).anyMatch(l -> l.contains("+336•••••678"));
            assertThat(logs.lines()).anyMatch(l -> l.contains("OPENAI_API_KEY set") && l.contains("MEDIA_STREAM_SECRET set"));
        }
    }
}
