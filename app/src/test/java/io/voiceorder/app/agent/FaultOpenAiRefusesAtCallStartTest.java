package io.voiceorder.app.agent;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault matrix, "OpenAI refuses (401/429/5xx) at call start" (serve.md §5.12): the caller hears the short recorded
 * apology and the line closes; the call record says why ({@code error}, {@code openai_unavailable}); one ERROR line
 * with the call sid names the reason code, and {@code /health} and {@code /metrics} show it. 401 is never retried,
 * 429 and 5xx are retried on the schedule first. With a transfer number the apology is followed by the transfer to
 * staff: {@code TransferCallTest.whenOpenAiRefusesTheCallerHearsTheApologyThenGoesToStaff}.
 */
class FaultOpenAiRefusesAtCallStartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "HTTP {0}")
    @CsvSource({"401, 1", "429, 5", "503, 5"})
    void theCallerHearsTheApologyAndTheRecordSaysWhy(int status, int attempts) {
        String reason = "http_" + status;
        try (LogCapture logs = new LogCapture(); ServeHarness h = PhoneOrderTest.serve()) {
            h.openai.refuseUpgrades(status);
            String callSid;
            try (TwilioStreamSimulator caller = h.call()) {
                callSid = caller.callSid();
                var closed = caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                assertThat(closed.code()).isEqualTo(1000);
                assertThat(caller.receivedAudio().length).as("the recorded apology").isGreaterThan(8_000);
                assertThat(caller.receivedOf("mark").get(0).json().at("/mark/name").asText()).startsWith("prompt:");
                assertThat(caller.pendingMarks()).as("the apology was played to its end").isZero();
                assertThat(h.openai.refusedUpgrades()).isEqualTo(attempts);
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("error");
            assertThat(call.get("end_reason")).isEqualTo("openai_unavailable");
            assertThat(logs.lines().stream().filter(l -> l.startsWith("ERROR OpenAI unavailable (" + reason + ")")
                    && l.contains(callSid)).count()).isEqualTo(1);
            assertThat(h.get("/health").body()).contains("\"lastSessionOk\":false").contains("\"lastError\":\"" + reason + "\"")
                    .contains("\"status\":\"degraded\"");
            assertThat(h.get("/metrics").body()).contains("voiceorder_openai_failures_total{reason=\"" + reason + "\"} 1.0")
                    .contains("voiceorder_calls_total{outcome=\"error\"} 1.0");
        }
    }
}
