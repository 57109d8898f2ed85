package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault matrix, "OpenAI socket closes mid-call" (serve.md §5.10): the socket is disposable, the call is not — a
 * new session within 1 s, the same instructions, re-seeded with the cart and the conversation; visible in the
 * call record, {@code /metrics}, {@code /health} and a log line carrying the call sid.
 */
class FaultOpenAiSocketClosesMidCallTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSocketKilledMidOrderIsReplacedAndReseededWithTheCartAndTheConversation() throws Exception {
        byte[] recap = Ulaw.tone(440, 3_000, 0.2);
        try (LogCapture logs = new LogCapture(); ServeHarness h = PhoneOrderTest.serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Une regina normale à emporter.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", "{\"order_type\":\"pickup\",\"total\":11,\"items\":[{\"id\":4,\"quantity\":1,"
                            + "\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Normale\"}]}]}")
                    .say(recap, "C'est noté, votre commande numéro 1 est enregistrée pour 19 h 20.")
                    .sayAndCall(Ulaw.tone(330, 300, 0.2), "Merci, au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession first = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                assertThat(PhoneOrderTest.output(first, "confirm_order").path("success").asBoolean()).isTrue();
                // The recap is being spoken when the socket dies.
                await().atMost(WAIT).until(() -> caller.receivedAudioBytes() > 1_600 + 4_000);
                long lost = System.nanoTime();
                first.closeAbruptly();

                FakeRealtimeSession second = h.openai.awaitSession(1, WAIT);
                long replaced = second.receivedWithTimes().isEmpty() ? System.nanoTime()
                        : second.receivedWithTimes().get(0).nanoTime();
                JsonNode cue = second.awaitEvent(e -> e.at("/item/role").asText().equals("system"), "continuity cue", WAIT);
                List<String> types = second.received().stream().map(e -> e.path("type").asText()).toList();
                assertThat(types.get(0)).isEqualTo("session.update");
                assertThat(types.get(1)).isEqualTo("conversation.item.create");
                String text = cue.at("/item/content/0/text").asText();
                assertThat(text).contains("Ne salue pas").contains("n°1").contains("11.00 EUR")
                        .contains("Une regina normale à emporter.").contains("pickup");
                assertThat(second.awaitEvent("session.update", WAIT).at("/session/instructions").asText())
                        .isEqualTo(first.awaitEvent("session.update", WAIT).at("/session/instructions").asText());
                // The model was speaking: it is asked to go on, and the call ends normally.
                second.awaitEvent("response.create", WAIT);
                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                String voice = first.awaitEvent("session.update", WAIT).at("/session/audio/output/voice").asText();
                assertThat(voice).isNotEmpty();
                assertThat(second.awaitEvent("session.update", WAIT).at("/session/audio/output/voice").asText())
                        .as("same voice").isEqualTo(voice);
                // The new socket's first event follows the loss closely (spec: within 1 s; margin for a busy machine).
                assertThat(TimeUnit.NANOSECONDS.toMillis(replaced - lost)).isLessThan(5_000);
                String callSid = caller.callSid();
                assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN OpenAI socket lost mid-call") && l.contains(callSid));
                assertThat(logs.lines()).anyMatch(l -> l.startsWith("INFO OpenAI session replaced (socket_lost)") && l.contains(callSid));
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("order_placed");
            assertThat(((Number) call.get("reconnects")).intValue()).isEqualTo(1);
            assertThat(h.get("/metrics").body()).contains("voiceorder_openai_reconnects_total{reason=\"socket_lost\"} 1.0");
            // The replacement session worked: /health does not report OpenAI as failing.
            assertThat(h.get("/health").body()).contains("\"lastSessionOk\":true").contains("\"status\":\"ok\"");
        }
    }
}
