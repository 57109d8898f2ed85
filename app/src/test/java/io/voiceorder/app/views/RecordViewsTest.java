package io.voiceorder.app.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/orders}, {@code /api/calls} and their details (serve.md §3.6) over a real socket. */
class RecordViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "admin-7d1e5c";

    private static PlacedOrder order(RestaurantBackend backend, String phone) throws Exception {
        BigDecimal unit = new BigDecimal("12.50");
        return backend.placeOrder(new PricedOrder("da-marco", null, null, "Marie", phone, OrderType.PICKUP,
                List.of(new PricedOrder.PricedLine("1", "Margherita", 2, unit, new BigDecimal("25.00"),
                        List.of(new PricedOrder.SelectedOption("Taille", "Grande", new BigDecimal("3.00"))), null)),
                new BigDecimal("25.00"), BigDecimal.ZERO.setScale(2), new BigDecimal("25.00"), "EUR", null, null, null, null, null,
                null, null, "cash", null));
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> get(ServeHarness serve, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.url(path))).GET();
        headers.forEach(b::header);
        return serve.send(b.build());
    }

    @Test
    void ordersAndCallsAreListedNewestFirstWithTheirDetails() throws Exception {
        try (ServeHarness serve = ServeHarness.start()) {
            RestaurantBackend backend = serve.serve.context().getBean(RestaurantBackend.class);
            PlacedOrder first = order(backend, "+33611111111");
            PlacedOrder second = order(backend, "+33622222222");
            Instant start = Instant.now().minusSeconds(60);
            String callId = backend.startCall(new CallStart("da-marco", "CA42", "MZ42", "twilio", "inbound", "+33611111111",
                    "+33972360682", null, start));
            backend.finishCall(new CallRecord(callId, "da-marco", "CA42", "MZ42", "twilio", "inbound", "+33611111111",
                    "+33972360682", null, start, start.plusSeconds(42), 42, "order_placed", "agent_end_call",
                    List.of(new CallRecord.TranscriptLine("assistant", "Bonjour", start, true, 840)),
                    100, 50, 80, 40, 10, new BigDecimal("0.0123"), new BigDecimal("0.0056"), BigDecimal.ZERO, "EUR", "gpt-realtime",
                    1, 2, null, null));

            HttpResponse<String> orders = serve.get("/api/orders");
            assertThat(orders.statusCode()).isEqualTo(200);
            assertThat(orders.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode list = body(orders).get("orders");
            assertThat(list).hasSize(2);
            assertThat(list.get(0).get("id").asText()).isEqualTo(second.id());
            assertThat(list.get(1).get("orderNumber").asInt()).isEqualTo(first.orderNumber());
            JsonNode line = list.get(1).get("items").get(0);
            assertThat(line.get("name").asText()).isEqualTo("Margherita");
            assertThat(line.get("menuItemId").asText()).isEqualTo("1");
            assertThat(line.get("selectedOptions").get(0).get("choice").asText()).isEqualTo("Grande");
            assertThat(list.get(1).get("total").decimalValue()).isEqualByComparingTo("25.00");

            assertThat(body(serve.get("/api/orders?limit=1")).get("orders")).hasSize(1);
            assertThat(body(serve.get("/api/orders?restaurantId=other")).get("orders")).isEmpty();
            assertThat(body(serve.get("/api/orders?since=2999-01-01T00:00:00Z")).get("orders")).isEmpty();
            assertThat(body(serve.get("/api/orders?since=2000-01-01")).get("orders")).hasSize(2);

            HttpResponse<String> one = serve.get("/api/orders/" + first.id());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(body(one).get("items").get(0).get("quantity").asInt()).isEqualTo(2);
            assertThat(serve.get("/api/orders/nope").statusCode()).isEqualTo(404);

            JsonNode call = body(serve.get("/api/calls")).get("calls").get(0);
            assertThat(call.get("callSid").asText()).isEqualTo("CA42");
            assertThat(call.get("outcome").asText()).isEqualTo("order_placed");
            assertThat(call.get("durationSec").asInt()).isEqualTo(42);
            assertThat(call.get("costAi").decimalValue()).isEqualByComparingTo("0.0123");
            assertThat(call.get("transcript").get(0).get("heardMs").asInt()).isEqualTo(840);
            assertThat(body(serve.get("/api/calls/" + callId)).get("bargeIns").asInt()).isEqualTo(2);
            assertThat(serve.get("/api/calls/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void badQueryValuesAreRefused() throws Exception {
        try (ServeHarness serve = ServeHarness.start()) {
            assertThat(serve.get("/api/orders?limit=0").statusCode()).isEqualTo(400);
            assertThat(serve.get("/api/calls?limit=501").statusCode()).isEqualTo(400);
            assertThat(serve.get("/api/calls?limit=ten").statusCode()).isEqualTo(400);
            assertThat(body(serve.get("/api/orders?since=yesterday")).get("error").asText()).isEqualTo("invalid_since");
        }
    }

    @Test
    void withoutAnAdminTokenOnlyLocalClientsWithoutForwardingHeadersMayRead() {
        try (ServeHarness serve = ServeHarness.start()) {
            assertThat(serve.get("/api/calls").statusCode()).isEqualTo(200);
            assertThat(get(serve, "/api/calls", Map.of("X-Forwarded-For", "203.0.113.9")).statusCode()).isEqualTo(403);
            assertThat(get(serve, "/api/orders", Map.of("X-Real-IP", "203.0.113.9")).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withAnAdminTokenTheBearerIsRequired() {
        try (ServeHarness serve = ServeHarness.start(Map.of("ADMIN_TOKEN", TOKEN))) {
            assertThat(serve.get("/api/orders").statusCode()).isEqualTo(401);
            assertThat(get(serve, "/api/orders", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(serve, "/api/orders", Map.of("Authorization", "Bearer " + TOKEN,
                    "X-Forwarded-For", "203.0.113.9"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).doesNotContain(TOKEN);
        }
    }
}
