package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** §5.10: the OpenAI socket is disposable, the call is not — reconnect with re-seed, and the rollover. */
class ContinuityTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSocketKilledMidOrderIsReplacedAndReseededWithTheCartAndTheConversation() throws Exception {
        byte[] recap = Ulaw.tone(440, 3_000, 0.2);
        try (ServeHarness h = PhoneOrderTest.serve()) {
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
                first.closeAbruptly();

                FakeRealtimeSession second = h.openai.awaitSession(1, WAIT);
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
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("order_placed");
            assertThat(((Number) call.get("reconnects")).intValue()).isEqualTo(1);
            assertThat(h.get("/metrics").body()).contains("voiceorder_openai_reconnects_total{reason=\"socket_lost\"} 1.0");
        }
    }

    @Test
    void anOldSessionIsReplacedAtAQuietMomentWithoutASecondGreeting() {
        byte[] greeting = Ulaw.tone(300, 400, 0.2);
        try (ServeHarness h = ServeHarness.start(Map.of("OPENAI_SESSION_ROLLOVER_S", "2"), CallTimings.standard(),
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
            }
            assertThat(h.get("/metrics").body()).contains("voiceorder_openai_reconnects_total{reason=\"rollover\"} 1.0");
        }
    }
}
