package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.PostgresServer;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole phone order over real sockets — Twilio stream simulator → serve → fake OpenAI Realtime —
 * on the bundled sample restaurant with the embedded backend: the model checks availability and
 * confirms an order, serve prices and stores it, the caller hears the confirmation, the call record
 * has its outcome, transcript and cost.
 */
class PhoneOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tuesday 24 November 2026, 19:00 in Paris: open for dinner. */
    static final Clock DINNER_TIME = Clock.fixed(Instant.parse("2026-11-24T18:00:00Z"), ZoneOffset.UTC);

    static ServeHarness serve() {
        return serve(Map.of());
    }

    static ServeHarness serve(Map<String, String> vars) {
        return ServeHarness.start(vars, CallTimings.standard(), FakeRealtimeServer.Options.defaults(), DINNER_TIME);
    }

    @Test
    void aScriptedOrderIsStoredWithServerPricesHeardAndRecordedInH2() throws Exception {
        wholeOrder(Map.of());
    }

    @Test
    void aScriptedOrderIsStoredWithServerPricesHeardAndRecordedInPostgres() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            wholeOrder(Map.of("DATABASE_URL", postgres.createDatabase(), "DATABASE_USER", "postgres"));
        }
    }

    private void wholeOrder(Map<String, String> vars) throws Exception {
        byte[] greeting = Ulaw.tone(300, 400, 0.2);
        byte[] confirmation = Ulaw.tone(520, 700, 0.2);
        try (ServeHarness h = serve(vars)) {
            h.openai.script()
                    .say(greeting, "Pizzeria Da Marco bonjour, que puis-je faire pour vous ?")
                    .callerSays("Une margherita grande à emporter, s'il vous plaît.")
                    // #3 is the Margherita in the sample's numbering (two starters come first).
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", """
                            {"order_type":"pickup","total":12.5,"items":[{"id":3,"quantity":1,"unit_price":1,
                             "selected_options":[{"name":"taille","choice":"grande"}]}]}""")
                    .sayAndCall(confirmation, "Commande numéro 1 enregistrée, douze euros cinquante, prête vers 19 h 20. Au revoir !",
                            "end_call", "{}");
            try (TwilioStreamSimulator caller = h.call()) {
                FakeRealtimeSession openai = h.openai.awaitSession(0, WAIT);
                await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 20); // the greeting has played
                caller.speak(Ulaw.tone(900, 700, 0.3));

                assertThat(caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().code()).isEqualTo(1000);
                // The caller heard the whole confirmation before the line closed.
                assertThat(Bytes.indexOf(caller.playedAudio(), confirmation)).isGreaterThanOrEqualTo(0);

                JsonNode orderOutput = output(openai, "confirm_order");
                assertThat(orderOutput.path("success").asBoolean()).as(orderOutput.toString()).isTrue();
                assertThat(orderOutput.path("order_number").asInt()).isEqualTo(1);
                assertThat(orderOutput.path("total").decimalValue()).isEqualByComparingTo("12.50");
                assertThat(orderOutput.path("heure_estimee").asText()).isEqualTo("19:20");
                assertThat(output(openai, "check_availability").path("available").asBoolean()).isTrue();
            }

            List<Map<String, Object>> orders = Rows.query(h.backend(), "SELECT * FROM orders");
            assertThat(orders).hasSize(1);
            Map<String, Object> order = orders.get(0);
            assertThat(order.get("order_number")).isEqualTo(1);
            assertThat((BigDecimal) order.get("total")).isEqualByComparingTo("12.50");
            assertThat(order.get("customer_phone")).isEqualTo("+33612345678");
            assertThat(order.get("order_type")).isEqualTo("pickup");
            List<Map<String, Object>> lines = Rows.query(h.backend(), "SELECT * FROM order_items WHERE order_id = ?", order.get("id"));
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).get("menu_item_id")).isEqualTo("1"); // the file id, not the call's #3
            assertThat(lines.get(0).get("name")).isEqualTo("Margherita");
            assertThat((BigDecimal) lines.get(0).get("unit_price")).isEqualByComparingTo("12.50"); // 9.50 + Grande 3.00
            assertThat(String.valueOf(lines.get(0).get("selected_options"))).contains("Grande");

            Map<String, Object> call = awaitFinalRecord(h);
            assertThat(call.get("outcome")).isEqualTo("order_placed");
            assertThat(call.get("end_reason")).isEqualTo("agent_end_call");
            assertThat(call.get("mode")).isEqualTo("twilio");
            assertThat(call.get("caller_number")).isEqualTo("+33612345678");
            assertThat(order.get("call_id")).isEqualTo(call.get("id"));
            assertThat(((Number) call.get("input_tokens")).longValue()).isPositive();
            assertThat(((Number) call.get("output_audio_tokens")).longValue()).isPositive();
            assertThat((BigDecimal) call.get("cost_ai")).isPositive();
            assertThat(call.get("cost_currency")).isEqualTo("USD");
            assertThat(call.get("ai_model")).isEqualTo("gpt-realtime");
            JsonNode transcript = JSON.readTree(String.valueOf(call.get("transcript")));
            List<String> roles = transcript.findValuesAsText("role");
            List<String> texts = transcript.findValuesAsText("content");
            assertThat(roles).containsExactly("assistant", "user", "assistant");
            assertThat(texts.get(0)).startsWith("Pizzeria Da Marco bonjour");
            assertThat(texts.get(1)).contains("margherita grande");
            assertThat(texts.get(2)).startsWith("Commande numéro 1");
            // An order was placed: no automatic message.
            assertThat(Rows.query(h.backend(), "SELECT * FROM messages")).isEmpty();
            assertThat(h.get("/metrics").body()).contains("voiceorder_calls_total{outcome=\"order_placed\"} 1.0")
                    .contains("voiceorder_tool_calls_total{result=\"success\",tool=\"confirm_order\"} 1.0");
        }
    }

    static JsonNode output(FakeRealtimeSession openai, String tool) throws Exception {
        JsonNode call = await().atMost(WAIT).until(() -> openai.sentEvents().stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.done")
                        && e.path("name").asText().equals(tool))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        JsonNode output = openai.awaitEvent(e -> e.at("/item/type").asText().equals("function_call_output")
                && e.at("/item/call_id").asText().equals(call.path("call_id").asText()), tool + " output", WAIT);
        return JSON.readTree(output.at("/item/output").asText());
    }

    static Map<String, Object> awaitFinalRecord(ServeHarness h) {
        await().atMost(WAIT).until(() -> Rows.query(h.backend(), "SELECT outcome FROM calls").stream()
                .anyMatch(r -> !"in_progress".equals(r.get("outcome"))));
        List<Map<String, Object>> calls = Rows.query(h.backend(), "SELECT * FROM calls");
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }
}
