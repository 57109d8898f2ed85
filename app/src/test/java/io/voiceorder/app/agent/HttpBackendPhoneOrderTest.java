package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.restaurant.http.FakeBackOffice;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole phone call with {@code VOICEORDER_BACKEND=http} over real sockets — Twilio stream simulator →
 * serve → fake OpenAI Realtime — with the restaurant back office played by {@link FakeBackOffice}:
 * the order reaches {@code POST /api/orders} with the prices serve computed from the back office's
 * menu, and the call record is finalized with {@code PATCH /api/calls}. The back office failing is
 * {@code FaultRestaurantBackendDownTest}.
 */
class HttpBackendPhoneOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "office-token-2b7e9c";
    private static final String CALLER = "+33612345678";

    private FakeBackOffice office;

    @BeforeEach
    void startOffice() {
        office = new FakeBackOffice();
    }

    @AfterEach
    void stopOffice() {
        office.close();
    }

    private ServeHarness serve() {
        return ServeHarness.start(Map.of("VOICEORDER_BACKEND", "http", "NEXT_API_URL", office.baseUrl(),
                        "NEXT_API_TOKEN", TOKEN, "RESTAURANT_ID", FakeBackOffice.RESTAURANT),
                CallTimings.standard(), FakeRealtimeServer.Options.defaults(), PhoneOrderTest.DINNER_TIME);
    }

    /** The back office's #1 is a Margherita at 9.50 with a Grande option at +3.00; #2 a Tiramisu at 6.50. */
    private static final String ORDER = """
            {"order_type":"pickup","total":25.5,"items":[
             {"id":1,"quantity":1,"unit_price":1,"selected_options":[{"name":"taille","choice":"grande"}]},
             {"id":2,"quantity":2,"unit_price":1}]}""";

    @Test
    void aScriptedOrderReachesTheBackOfficeWithServerPricesAndTheCallIsFinalizedAsAnOrder() throws Exception {
        byte[] confirmation = Ulaw.tone(520, 700, 0.2);
        try (ServeHarness h = serve()) {
            h.openai.script()
                    .say(Ulaw.tone(300, 400, 0.2), "Fake Bistro bonjour, que puis-je faire pour vous ?")
                    .callerSays("Une margherita grande et deux tiramisus à emporter.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", ORDER)
                    .sayAndCall(confirmation, "C'est noté, vingt-cinq euros cinquante, prête à 20 h. Au revoir !", "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 20); // the greeting has played
                caller.speak(Ulaw.tone(900, 700, 0.3));

                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                assertThat(Bytes.indexOf(caller.playedAudio(), confirmation)).as("the caller heard the confirmation")
                        .isGreaterThanOrEqualTo(0);

                assertThat(PhoneOrderTest.output(openai, "check_availability").path("available").asBoolean()).isTrue();
                JsonNode output = PhoneOrderTest.output(openai, "confirm_order");
                assertThat(output.path("success").asBoolean()).as(output.toString()).isTrue();
                assertThat(output.path("total").decimalValue()).isEqualByComparingTo("25.50");
                assertThat(output.path("heure_estimee").asText()).isEqualTo("20:00");
            }

            List<JsonNode> created = office.received("POST /api/calls");
            assertThat(created).hasSize(1);
            assertThat(created.get(0).path("restaurantId").asText()).isEqualTo(FakeBackOffice.RESTAURANT);
            assertThat(created.get(0).path("callerNumber").asText()).isEqualTo(CALLER);

            List<JsonNode> orders = office.received("POST /api/orders");
            assertThat(orders).hasSize(1);
            JsonNode order = orders.get(0);
            assertThat(order.path("restaurantId").asText()).isEqualTo(FakeBackOffice.RESTAURANT);
            assertThat(order.path("customerPhone").asText()).isEqualTo(CALLER);
            assertThat(order.path("orderType").asText()).isEqualTo("pickup");
            assertThat(order.path("total").decimalValue()).isEqualByComparingTo("25.50");
            JsonNode items = order.path("items");
            assertThat(items).hasSize(2);
            assertThat(items.get(0).path("menuItemId").asText()).isEqualTo("m-marg"); // the back office's id, not the call's #1
            assertThat(items.get(0).path("quantity").asInt()).isEqualTo(1);
            assertThat(items.get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("12.50"); // 9.50 + Grande 3.00
            assertThat(items.get(0).path("totalPrice").decimalValue()).isEqualByComparingTo("12.50");
            assertThat(items.get(0).path("selectedOptions").toString()).contains("Grande");
            assertThat(items.get(1).path("menuItemId").asText()).isEqualTo("m-tira");
            assertThat(items.get(1).path("quantity").asInt()).isEqualTo(2);
            assertThat(items.get(1).path("unitPrice").decimalValue()).isEqualByComparingTo("6.50");
            assertThat(items.get(1).path("totalPrice").decimalValue()).isEqualByComparingTo("13.00");

            JsonNode record = finalRecord();
            assertThat(record.path("outcome").asText()).isEqualTo("order_placed");
            assertThat(order.path("callId").asText()).isEqualTo(record.path("id").asText());
            assertThat(record.path("durationSec").isNumber()).isTrue();
            assertThat(record.path("endedAt").asText()).isNotEmpty();
            assertThat(record.path("transcript").findValuesAsText("role")).containsExactly("assistant", "user", "assistant");
            assertThat(record.path("transcript").get(2).path("content").asText()).startsWith("C'est noté");
            assertThat(record.path("inputTokens").asLong()).isPositive();
            assertThat(record.path("costAi").decimalValue()).isPositive();
            assertThat(record.path("aiModel").asText()).isEqualTo("gpt-realtime");
            // An order was placed: no automatic message.
            assertThat(office.received("POST /api/messages")).isEmpty();
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
