package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.voiceorder.app.agent.tools.ToolCatalogue;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A restaurant back office with memory, on WireMock: one restaurant, its agent and menu, and the
 * orders, reservations, customers, messages, questions and call records the §7.3 calls create.
 * Enough of the real one for the port's contract suite; the per-row details are in
 * {@link HttpRestaurantBackendTest}.
 */
public final class FakeBackOffice implements ResponseDefinitionTransformerV2, AutoCloseable {
    public static final String RESTAURANT = "fake-bistro";
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final String NAME = "fake-back-office";

    private final ObjectMapper json = new ObjectMapper();
    private final WireMockServer server;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, ObjectNode> orders = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> reservations = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> customers = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> calls = new ConcurrentHashMap<>();
    final List<JsonNode> messages = new ArrayList<>();
    final List<JsonNode> questions = new ArrayList<>();
    private final List<Map.Entry<String, JsonNode>> received = new ArrayList<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public FakeBackOffice() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(this));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(NAME)));
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** From now on, {@code route} ("POST /api/orders") answers {@code status} with an error body and changes nothing. */
    public void failWith(String route, int status) {
        failures.put(route, status);
    }

    /** The JSON bodies received on {@code route} ("PATCH /api/calls"), in order; an empty object for a request without one. */
    public synchronized List<JsonNode> received(String route) {
        return received.stream().filter(e -> e.getKey().equals(route)).map(Map.Entry::getValue).toList();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String path = r.getUrl().split("\\?")[0];
        String route = r.getMethod().getName() + " " + path;
        try {
            JsonNode body = r.getBodyAsString() == null || r.getBodyAsString().isBlank()
                    ? json.createObjectNode() : json.readTree(r.getBodyAsString());
            received.add(Map.entry(route, body));
            Integer failure = failures.get(route);
            if (failure != null) {
                return reply(failure, json.createObjectNode().put("error", "internal_error"));
            }
            String restaurant = query(r, "restaurantId");
            if (restaurant == null) {
                restaurant = body.path("restaurantId").asText(null);
            }
            if (restaurant != null && !restaurant.equals(RESTAURANT)) {
                return reply(404, json.createObjectNode().put("error", "restaurant_not_found"));
            }
            return switch (route) {
                case "GET /api/ai" -> reply(200, agent(query(r, "callerPhone")));
                case "GET /api/menu" -> reply(200, json.readTree(MENU));
                case "GET /api/blocked-phones/check" -> reply(200, json.createObjectNode().put("blocked", false));
                case "POST /api/availability/check" -> reply(200, availability(body));
                case "POST /api/orders" -> reply(201, placeOrder(body));
                case "GET /api/orders/status" -> reply(200, orderStatus(query(r, "phone")));
                case "PATCH /api/orders" -> patch(orders, body);
                case "POST /api/reservations" -> reply(201, store(reservations, body));
                case "GET /api/reservations/lookup" -> reply(200, lookup(query(r, "phone")));
                case "PATCH /api/reservations" -> patch(reservations, body);
                case "POST /api/customers" -> reply(200, upsertCustomer(body));
                case "POST /api/messages" -> reply(201, record(messages, body));
                case "POST /api/faq" -> reply(201, record(questions, body));
                case "POST /api/calls" -> reply(201, store(calls, body));
                case "PATCH /api/calls" -> patch(calls, body);
                case "GET /api/ai-pricing" -> reply(200, json.readTree(
                        "{\"models\":{\"gpt-realtime\":{\"textInput\":4,\"textOutput\":16,\"audioInput\":32,\"audioOutput\":64}}}"));
                default -> reply(404, json.createObjectNode().put("error", "not_found"));
            };
        } catch (IOException e) {
            return reply(400, json.createObjectNode().put("error", "bad_json"));
        }
    }

    private static String query(Request r, String name) {
        QueryParameter q = r.queryParameter(name);
        return q.isPresent() ? q.firstValue() : null;
    }

    private ResponseDefinition reply(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString()).build();
    }

    private ObjectNode agent(String phone) {
        ObjectNode ai = json.createObjectNode()
                .put("systemPrompt", "Tu es l'agent du Fake Bistro.")
                .put("voice", "sage").put("timezone", ZONE.getId()).put("currency", "EUR")
                .put("avgPrepTimeMin", 15).put("deliveryEnabled", false).put("reservationEnabled", true)
                .put("transferEnabled", false);
        // The back office sends the schemas of the tools it offers: serve's own, transfer aside (disabled here).
        ArrayNode tools = ai.putArray("tools");
        ToolCatalogue catalogue = ToolCatalogue.get();
        catalogue.schemas(catalogue.names().stream().filter(n -> !n.equals(ToolCatalogue.TRANSFER_CALL))
                .collect(java.util.stream.Collectors.toSet())).forEach(tools::add);
        ObjectNode itemMap = ai.putObject("itemMap");
        itemMap.putObject("1").put("id", "m-marg").put("name", "Margherita");
        itemMap.putObject("2").put("id", "m-tira").put("name", "Tiramisu");
        ObjectNode customer = phone == null ? null : customers.get(phone);
        if (customer != null) {
            ai.set("customerContext", customer.deepCopy());
        }
        ai.putObject("sipCredentials").put("password", "never-read");
        return ai;
    }

    private static final String MENU = """
            {"items":[
             {"id":"m-marg","categoryId":"c-pizza","name":"Margherita","price":"9.50","isAvailable":true,
              "options":[{"name":"Taille","type":"single_choice","required":true,
                          "choices":[{"label":"Normale","price_modifier":0},{"label":"Grande","price_modifier":"3.00"}]}]},
             {"id":"m-tira","categoryId":"c-dessert","name":"Tiramisu","price":6.5,"isAvailable":true,"options":[]}]}""";

    private ObjectNode availability(JsonNode body) {
        String time = body.path("requestedTime").asText("20:00");
        LocalDate day = LocalDate.now(ZONE).plusDays(1);
        String iso = day.atTime(LocalTime.parse(time)).atZone(ZONE).toOffsetDateTime().toString();
        return json.createObjectNode().put("available", true).put("mode", body.path("mode").asText())
                .put("estimatedTime", time).put("estimatedTimeISO", iso).put("seatsAvailable", 40);
    }

    private ObjectNode placeOrder(JsonNode body) {
        ObjectNode order = store(orders, body);
        ObjectNode stored = orders.get(order.get("id").asText());
        stored.put("status", "pending");
        ObjectNode customer = customers.get(body.path("customerPhone").asText());
        if (customer != null) {
            customer.put("totalOrders", customer.path("totalOrders").asInt() + 1);
        }
        return json.createObjectNode().put("id", order.get("id").asText()).putNull("orderNumber");
    }

    private ObjectNode orderStatus(String phone) {
        ObjectNode reply = json.createObjectNode();
        ArrayNode list = reply.putArray("orders");
        orders.values().stream().filter(o -> o.path("customerPhone").asText().equals(phone))
                .sorted(Comparator.comparingLong((ObjectNode o) -> o.path("seq").asLong()).reversed())
                .forEach(o -> {
                    int count = 0;
                    List<String> parts = new ArrayList<>();
                    for (JsonNode item : o.path("items")) {
                        count += item.path("quantity").asInt();
                        parts.add(item.path("quantity").asInt() + "x " + item.path("name").asText());
                    }
                    list.addObject().put("id", o.path("id").asText()).putNull("orderNumber")
                            .put("status", o.path("status").asText()).put("orderType", o.path("orderType").asText())
                            .put("total", new BigDecimal(o.path("total").asText())).put("createdAt", o.path("createdAt").asText())
                            .put("itemCount", count).put("itemsSummary", String.join(", ", parts));
                });
        return reply.put("found", !list.isEmpty());
    }

    private ObjectNode lookup(String phone) {
        ObjectNode reply = json.createObjectNode();
        ArrayNode list = reply.putArray("reservations");
        reservations.values().stream().filter(x -> x.path("customerPhone").asText().equals(phone))
                .filter(x -> !"cancelled".equals(x.path("status").asText()))
                .forEach(x -> list.add(x.deepCopy()));
        return reply.put("found", !list.isEmpty());
    }

    private ObjectNode upsertCustomer(JsonNode body) {
        String phone = body.path("phone").asText();
        ObjectNode c = customers.computeIfAbsent(phone, p -> json.createObjectNode()
                .put("id", UUID.randomUUID().toString()).put("totalOrders", 0));
        for (String f : List.of("firstName", "deliveryAddress", "deliveryCity", "deliveryPostalCode", "deliveryNotes")) {
            String v = body.path(f).asText("");
            if (!v.isBlank()) {
                c.put(f, v);
            }
        }
        return c.deepCopy();
    }

    private ObjectNode store(Map<String, ObjectNode> table, JsonNode body) {
        String id = UUID.randomUUID().toString();
        long seq = sequence.incrementAndGet();
        ObjectNode row = ((ObjectNode) body.deepCopy()).put("id", id).put("seq", seq)
                .put("createdAt", Instant.now().plusMillis(seq).toString());
        table.put(id, row);
        return json.createObjectNode().put("id", id);
    }

    private ResponseDefinition patch(Map<String, ObjectNode> table, JsonNode body) {
        ObjectNode row = table.get(body.path("id").asText());
        if (row == null) {
            return reply(200, json.nullNode());
        }
        body.fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue()));
        return reply(200, row);
    }

    private ObjectNode record(List<JsonNode> list, JsonNode body) {
        list.add(body);
        return json.createObjectNode().put("id", UUID.randomUUID().toString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
