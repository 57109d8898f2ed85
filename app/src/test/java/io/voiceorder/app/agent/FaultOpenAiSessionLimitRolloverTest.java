package io.voiceorder.app.agent;

import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault matrix, "60-minute OpenAI session limit" (serve.md §5.10): the session is replaced before the limit, at a
 * quiet moment, without a second greeting; the limit is shortened to 2 s here ({@code OPENAI_SESSION_ROLLOVER_S}).
 */
class FaultOpenAiSessionLimitRolloverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anOldSessionIsReplacedAtAQuietMomentWithoutASecondGreeting() {
        byte[] greeting = Ulaw.tone(300, 400, 0.2);
        try (LogCapture logs = new LogCapture(); ServeHarness h = ServeHarness.start(Map.of("OPENAI_SESSION_ROLLOVER_S", "2"), CallTimings.standard(),
                FakeRealtimeServer.Options.defaults(), PhoneOrderTest.DINNER_TIME)) {
            h.openai.script().say(greeting, "Bonjour.");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession first = h.openai.awaitSession(0, WAIT);
                FakeRealtimeSession second = h.openai.awaitSession(1, WAIT);
                second.awaitEvent(e -> e.at("/item/role").asText().equals("system"), "continuity cue", WAIT);
                assertThat(second.received().get(0).path("type").asText()).isEqualTo("session.update");
                assertThat(first.awaitClosed(WAIT)).isEqualTo(1000);
                // Caller audio now goes to the new session.
                caller.speak(Ulaw.tone(700, 200, 0.05));
                await().atMost(WAIT).until(() -> second.receivedAudio().length > 0);
                await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
                assertThat(second.eventsOfType("response.create")).isEmpty();
                assertThat(caller.receivedAudio()).hasSize(3_200); // the greeting only, never a second one
                assertThat(caller.isOpen()).isTrue();
                String callSid = caller.callSid();
                assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO OpenAI session is") && l.contains("rollover")
                        && l.contains(callSid));
                assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO OpenAI session replaced (rollover)") && l.contains(callSid));
                assertThat(h.get("/health").body()).contains("\"lastSessionOk\":true");
            }
            assertThat(h.get("/metrics").body()).contains("voiceorder_openai_reconnects_total{reason=\"rollover\"} 1.0");
        }
    }
}
