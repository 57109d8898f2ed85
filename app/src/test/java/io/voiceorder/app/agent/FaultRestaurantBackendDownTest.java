package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.restaurant.http.FakeBackOffice;
import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault matrix, "restaurant backend down" ({@code VOICEORDER_BACKEND=http}, the back office played by WireMock in
 * {@link FakeBackOffice}): the agent is told the order was NOT stored and to offer a message, so nothing is reported
 * to the caller as done; with the back office unreachable from the start, the call gets the fallback agent, which
 * can only take a message. Each case is visible in {@code /metrics} or {@code /health} and in a log line with the
 * call sid.
 * (The embedded backend's database failing is {@code CallOutcomeTest.withTheDatabaseDownTheOrderIsReportedNotSaved…}.)
 */
class FaultRestaurantBackendDownTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "office-token-2b7e9c";
    /** The back office's #1 is a Margherita at 9.50 with a Grande option at +3.00; #2 a Tiramisu at 6.50. */
    private static final String ORDER = """
            {"order_type":"pickup","total":25.5,"items":[
             {"id":1,"quantity":1,"unit_price":1,"selected_options":[{"name":"taille","choice":"grande"}]},
             {"id":2,"quantity":2,"unit_price":1}]}""";

    private FakeBackOffice office;

    @BeforeEach
    void startOffice() {
        office = new FakeBackOffice();
    }

    @AfterEach
    void stopOffice() {
        office.close();
    }

    private ServeHarness serve(String backOfficeUrl) {
        return ServeHarness.start(Map.of("VOICEORDER_BACKEND", "http", "NEXT_API_URL", backOfficeUrl,
                        "NEXT_API_TOKEN", TOKEN, "RESTAURANT_ID", FakeBackOffice.RESTAURANT),
                CallTimings.standard(), FakeRealtimeServer.Options.defaults(), PhoneOrderTest.DINNER_TIME);
    }

    @Test
    void anOrderTheBackOfficeCannotStoreIsReportedNotSavedAndTheAgentOffersAMessage() throws Exception {
        office.failWith("POST /api/orders", 500);
        byte[] apology = Ulaw.tone(610, 700, 0.2);
        try (LogCapture logs = new LogCapture(); ServeHarness h = serve(office.baseUrl())) {
            h.openai.script()
                    .say(Ulaw.tone(300, 400, 0.2), "Fake Bistro bonjour, que puis-je faire pour vous ?")
                    .callerSays("Une margherita grande et deux tiramisus à emporter.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", ORDER)
                    .sayAndCall(apology, "Je suis désolé, la commande n'a pas pu être enregistrée. Voulez-vous laisser un message ?",
                            "end_call", "{}");
            String callSid;
            try (TwilioStreamSimulator caller = h.call()) {
                callSid = caller.callSid();
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 20);
                caller.speak(Ulaw.tone(900, 700, 0.3));

                JsonNode output = PhoneOrderTest.output(openai, "confirm_order");
                assertThat(output.path("success").asBoolean()).as(output.toString()).isFalse();
                assertThat(output.path("error").asText()).isEqualTo("order_not_saved");
                // The model is told the order is not stored and to offer a message: it never announces an order number.
                assertThat(output.has("order_number")).isFalse();
                assertThat(output.path("message").asText()).containsIgnoringCase("message");
                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                assertThat(Bytes.indexOf(caller.playedAudio(), apology)).as("the caller heard the apology").isGreaterThanOrEqualTo(0);
            }

            assertThat(office.received("POST /api/orders")).as("an order is posted once, never retried").hasSize(1);
            JsonNode record = finalRecord();
            assertThat(record.path("outcome").asText()).isNotEqualTo("order_placed").isEqualTo("info_only");
            // The caller spoke and nothing was stored: the automatic message tells the restaurant.
            List<JsonNode> messages = office.received("POST /api/messages");
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).path("category").asText()).isEqualTo("info_request");
            assertThat(messages.get(0).toString()).contains("margherita grande");

            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN order not stored: backend") && l.contains(callSid));
            assertThat(h.get("/metrics").body())
                    .contains("voiceorder_tool_calls_total{result=\"failure\",tool=\"confirm_order\"} 1.0")
                    .doesNotContain("voiceorder_calls_total{outcome=\"order_placed\"} 1.0");
            // /health follows the back office's last request: the message and the call record after the failed
            // order went through, so it is back to ok (serve.md §3.4); the unreachable case below shows it degraded.
            assertThat(h.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBackOfficeUnreachableAtCallStartGivesTheFallbackAgentThatCanOnlyTakeAMessage() throws Exception {
        int closedPort = ServeHarness.freePort();
        try (LogCapture logs = new LogCapture(); ServeHarness h = serve("http://127.0.0.1:" + closedPort)) {
            h.openai.script().say(Ulaw.tone(300, 400, 0.2), "Bonjour, la prise de commande n'est pas disponible.");
            String callSid;
            try (TwilioStreamSimulator caller = h.call()) {
                callSid = caller.callSid();
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode session = openai.awaitEvent("session.update", WAIT).path("session");
                List<String> tools = new ArrayList<>();
                session.path("tools").forEach(t -> tools.add(t.path("name").asText()));
                assertThat(tools).containsExactlyInAnyOrder("leave_message", "end_call");
                assertThat(session.path("instructions").asText()).contains("leave_message");
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.sendStop();
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN agent of restaurant " + FakeBackOffice.RESTAURANT
                    + " could not be loaded") && l.contains(callSid));
            JsonNode health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(h.get("/health").body());
            assertThat(health.path("status").asText()).isEqualTo("degraded");
            assertThat(health.path("backend").path("ok").asBoolean()).isFalse();
            assertThat(h.get("/metrics").body()).doesNotContain("voiceorder_calls_total{outcome=\"order_placed\"}");
        }
    }

    /** The body of the finalizing {@code PATCH /api/calls}, once serve has sent it. */
    private JsonNode finalRecord() {
        await().atMost(WAIT).until(() -> office.received("PATCH /api/calls").stream()
                .anyMatch(b -> b.hasNonNull("outcome")));
        List<JsonNode> finals = office.received("PATCH /api/calls").stream().filter(b -> b.hasNonNull("outcome")).toList();
        assertThat(finals).as("finalized exactly once").hasSize(1);
        return finals.get(0);
    }
}
