package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.voiceorder.app.agent.tools.ToolCatalogue;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call on the {@code http} backend (the back office played by WireMock) whose writes fail: the model
 * hears {@code order_not_saved} and {@code message_not_saved}, the order is posted once with serve's
 * prices and never retried, and the outcome is not {@code message_left} (acceptance 20).
 */
class BackOfficeCallTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private WireMockServer office;

    @BeforeEach
    void start() {
        office = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        office.start();
    }

    @AfterEach
    void stop() {
        office.stop();
    }

    private String agent() {
        ObjectNode ai = JSON.createObjectNode().put("systemPrompt", "Tu es l'agent du Bistro.").put("voice", "coral")
                .put("timezone", "Europe/Paris").put("currency", "EUR").put("avgPrepTimeMin", 15)
                .put("deliveryEnabled", false).put("reservationEnabled", false).put("transferEnabled", false);
        ArrayNode tools = ai.putArray("tools");
        ToolCatalogue.get().schemas(Set.of("check_availability", "confirm_order", "leave_message")).forEach(tools::add);
        ai.putObject("itemMap").putObject("1").put("id", "m-marg").put("name", "Margherita");
        return ai.toString();
    }

    private static final String MENU = """
            {"items":[{"id":"m-marg","categoryId":"c-pizza","name":"Margherita","price":"9.50","isAvailable":true,
              "options":[{"name":"Taille","type":"single_choice","required":true,
                          "choices":[{"label":"Normale","price_modifier":0},{"label":"Grande","price_modifier":"3.00"}]}]}]}""";

    @Test
    void failedWritesAreReportedAndNothingIsClaimed() throws Exception {
        String iso = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1).atTime(19, 30)
                .atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().toString();
        office.stubFor(get(urlPathEqualTo("/api/ai")).willReturn(okJson(agent())));
        office.stubFor(get(urlPathEqualTo("/api/menu")).willReturn(okJson(MENU)));
        office.stubFor(get(urlPathEqualTo("/api/blocked-phones/check")).willReturn(okJson("{\"blocked\":false}")));
        office.stubFor(post(urlPathEqualTo("/api/calls")).willReturn(okJson("{\"id\":\"call-77\"}")));
        office.stubFor(patch(urlPathEqualTo("/api/calls")).willReturn(okJson("{}")));
        office.stubFor(post(urlPathEqualTo("/api/availability/check")).willReturn(okJson(
                "{\"available\":true,\"mode\":\"pickup\",\"estimatedTime\":\"19:30\",\"estimatedTimeISO\":\"" + iso + "\"}")));
        office.stubFor(post(urlPathEqualTo("/api/orders")).willReturn(aResponse().withStatus(500)));
        office.stubFor(post(urlPathEqualTo("/api/messages")).willReturn(aResponse().withStatus(500)));
        try (ServeHarness h = ServeHarness.start(Map.of("VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl(),
                "RESTAURANT_ID", "bistro"), CallTimings.standard(), FakeRealtimeServer.Options.defaults())) {
            h.openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Une margherita.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", "{\"order_type\":\"pickup\",\"total\":9.5,\"items\":[{\"id\":1,\"quantity\":1,"
                            + "\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Normale\"}]}]}")
                    .call("leave_message", "{\"content\":\"Commande à rappeler\",\"category\":\"callback_request\"}")
                    .sayAndCall(Ulaw.tone(330, 300, 0.2), "Désolé, au revoir.", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                JsonNode session = openai.awaitEvent("session.update", WAIT).path("session");
                assertThat(session.path("instructions").asText()).startsWith("Tu es l'agent du Bistro.");
                assertThat(session.at("/audio/output/voice").asText()).isEqualTo("coral");
                List<String> offered = new java.util.ArrayList<>();
                session.path("tools").forEach(t -> offered.add(t.path("name").asText()));
                assertThat(offered)
                        .containsExactlyInAnyOrder("check_availability", "confirm_order", "leave_message", "end_call");
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                caller.speak(Ulaw.tone(900, 600, 0.3));
                JsonNode order = PhoneOrderTest.output(openai, "confirm_order");
                assertThat(order.path("success").asBoolean()).isFalse();
                assertThat(order.path("error").asText()).isEqualTo("order_not_saved");
                JsonNode message = PhoneOrderTest.output(openai, "leave_message");
                assertThat(message.path("error").asText()).isEqualTo("message_not_saved");
                caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            }
            List<LoggedRequest> orders = office.findAll(postRequestedFor(urlPathEqualTo("/api/orders")));
            assertThat(orders).hasSize(1); // never retried: no duplicate orders
            JsonNode posted = JSON.readTree(orders.get(0).getBodyAsString());
            assertThat(posted.at("/items/0/menuItemId").asText()).isEqualTo("m-marg");
            assertThat(posted.at("/items/0/unitPrice").decimalValue()).isEqualByComparingTo("9.50");
            assertThat(posted.path("callId").asText()).isEqualTo("call-77");
            await().atMost(WAIT).until(() -> !office.findAll(patchRequestedFor(urlPathEqualTo("/api/calls"))).isEmpty());
            JsonNode finished = JSON.readTree(office.findAll(patchRequestedFor(urlPathEqualTo("/api/calls"))).get(0).getBodyAsString());
            assertThat(finished.path("id").asText()).isEqualTo("call-77");
            assertThat(finished.path("outcome").asText()).isEqualTo("info_only");
            assertThat(finished.path("transcript").toString()).contains("Une margherita.");
        }
    }
}
