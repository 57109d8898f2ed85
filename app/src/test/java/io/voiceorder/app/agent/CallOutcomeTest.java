package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.embedded.EmbeddedBackend;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Over real sockets with the embedded backend: blocked callers, outcomes, the automatic message, failures reported. */
class CallOutcomeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aBlockedCallerIsClosedBeforeAnyOpenAiSocketAndLeavesNoRecord() {
        try (ServeHarness h = PhoneOrderTest.serve(); LogCapture logs = new LogCapture()) {
            // The sample restaurant blocks +33699999999; the caller dials from its national form.
            try (TwilioStreamSimulator caller = h.call(SimulatorOptions.twilioCall().withParameter("callerPhone", "06 99 99 99 99"))) {
                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                assertThat(caller.receivedOf("media")).isEmpty();
            }
            assertThat(h.openai.connectionCount()).isZero();
            assertThat(Rows.query(h.backend(), "SELECT * FROM calls")).isEmpty();
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"blocked\"} 1.0");
            assertThat(logs.lines()).anyMatch(l -> l.contains("blocked caller") && !l.contains("99999999"));
        }
    }

    @Test
    void aCallEndedByShutdownIsStillRecorded() throws Exception {
        String url = "jdbc:h2:mem:shutdown-" + java.util.UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        try (ServeHarness h = PhoneOrderTest.serve(Map.of("DATABASE_URL", url))) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.");
            TwilioStreamSimulator caller = h.call();
            h.openai.awaitSession(0, WAIT).awaitEvent("response.create", WAIT);
            h.serve.drainAndStop(Duration.ofMillis(100));
            assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1001);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT outcome, end_reason FROM calls")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("end_reason")).isEqualTo("shutdown");
            assertThat(rs.getString("outcome")).isEqualTo("abandoned");
        }
    }

    @Test
    void aCallerWhoSpokeWithoutOrderingLeavesAnAutomaticMessageAndInfoOnly() {
        try (ServeHarness h = PhoneOrderTest.serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour, je vous écoute.")
                    .callerSays("Vous êtes ouverts dimanche ?")
                    .sayAndCall(Ulaw.tone(330, 300, 0.2), "Oui, de 18 h à 22 h. Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("info_only");
            await().atMost(WAIT).until(() -> !Rows.query(h.backend(), "SELECT * FROM messages").isEmpty());
            List<Map<String, Object>> messages = Rows.query(h.backend(), "SELECT * FROM messages");
            assertThat(messages).hasSize(1);
            assertThat(String.valueOf(messages.get(0).get("content")))
                    .startsWith("Appel sans commande ni réservation")
                    .contains("Client: Vous êtes ouverts dimanche ?")
                    .contains("IA: Oui, de 18 h à 22 h.");
            assertThat(messages.get(0).get("category")).isEqualTo("info_request");
            assertThat(messages.get(0).get("call_id")).isEqualTo(call.get("id"));
        }
    }

    @Test
    void aCallWhereOnlyTheAgentSpokeIsAbandonedWithoutMessage() {
        try (ServeHarness h = PhoneOrderTest.serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour, je vous écoute.");
            TwilioStreamSimulator caller = h.call();
            await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
            caller.sendStop();
            caller.close();
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("abandoned");
            assertThat(call.get("end_reason")).isEqualTo("caller_hangup");
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> true);
            assertThat(Rows.query(h.backend(), "SELECT * FROM messages")).isEmpty();
            assertThat(Rows.query(h.backend(), "SELECT * FROM calls")).hasSize(1);
        }
    }

    @Test
    void aMessageLeftSetsTheOutcomeAndAnUnknownItemStoresNothing() throws Exception {
        try (ServeHarness h = PhoneOrderTest.serve()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Je voudrais une pizza.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", "{\"order_type\":\"pickup\",\"total\":10,\"items\":[{\"id\":99,\"quantity\":1}]}")
                    .call("leave_message", "{\"content\":\"Rappeler pour la carte\",\"category\":\"callback_request\"}")
                    .sayAndCall(Ulaw.tone(330, 300, 0.2), "Message transmis. Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                JsonNode unknown = PhoneOrderTest.output(openai, "confirm_order");
                assertThat(unknown.path("error").asText()).isEqualTo("unknown_item");
                assertThat(unknown.path("invalid_ids").toString()).isEqualTo("[99]");
                assertThat(unknown.path("valid_range").asText()).isEqualTo("1-17");
            }
            Map<String, Object> call = PhoneOrderTest.awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("message_left");
            assertThat(Rows.query(h.backend(), "SELECT * FROM orders")).isEmpty();
            assertThat(Rows.query(h.backend(), "SELECT * FROM messages")).hasSize(1); // no automatic message on top
        }
    }

    @Test
    void withTheDatabaseDownTheOrderIsReportedNotSavedAndTheRecordIsLogged() throws Exception {
        try (ServeHarness h = PhoneOrderTest.serve(); LogCapture logs = new LogCapture()) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Une regina normale.")
                    .call("check_availability", "{\"mode\":\"pickup\"}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                PhoneOrderTest.output(openai, "check_availability");
                ((EmbeddedBackend) h.backend()).database().close();
                openai.sendEvent("""
                        {"type":"response.created","response":{"id":"resp_down","status":"in_progress"}}""");
                openai.sendEvent("""
                        {"type":"response.function_call_arguments.done","response_id":"resp_down","call_id":"call_down","name":"confirm_order",
                         "arguments":"{\\"order_type\\":\\"pickup\\",\\"total\\":11,\\"items\\":[{\\"id\\":4,\\"quantity\\":1,\\"selected_options\\":[{\\"name\\":\\"Taille\\",\\"choice\\":\\"Normale\\"}]}]}"}""");
                openai.sendEvent("""
                        {"type":"response.done","response":{"id":"resp_down","status":"completed","output":[]}}""");
                JsonNode failed = openai.awaitEvent(e -> e.at("/item/call_id").asText().equals("call_down"), "confirm_order output", WAIT);
                JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(failed.at("/item/output").asText());
                assertThat(result.path("success").asBoolean()).isFalse();
                assertThat(result.path("error").asText()).isEqualTo("order_not_saved");
                caller.sendStop();
            }
            await().atMost(WAIT).until(() -> logs.lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("call record not saved")));
            // Lines written by tools on the backend workers carry the call sid too.
            assertThat(logs.lines()).anyMatch(l -> l.contains("order not stored") && l.contains("callSid=CA"));
        }
    }
}
