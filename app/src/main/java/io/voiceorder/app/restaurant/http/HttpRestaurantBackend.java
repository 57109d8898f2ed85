package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.PhoneMask;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendException.Kind;
import io.voiceorder.app.restaurant.BackendHealth;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import io.voiceorder.app.restaurant.MenuIndex;
import io.voiceorder.app.restaurant.OrderRef;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.OrderType;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PlacedReservation;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ReservationSummary;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.ServiceMode;
import io.voiceorder.app.restaurant.StaffMessage;
import io.voiceorder.app.restaurant.TokenPricing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.voiceorder.app.restaurant.http.BackOfficeClient.query;
import static io.voiceorder.app.restaurant.http.JsonValues.bool;
import static io.voiceorder.app.restaurant.http.JsonValues.dateTime;
import static io.voiceorder.app.restaurant.http.JsonValues.decimal;
import static io.voiceorder.app.restaurant.http.JsonValues.field;
import static io.voiceorder.app.restaurant.http.JsonValues.integer;
import static io.voiceorder.app.restaurant.http.JsonValues.real;
import static io.voiceorder.app.restaurant.http.JsonValues.text;

/**
 * The {@code http} adapter (serve.md §7.3): the restaurant back office at {@code NEXT_API_URL}.
 * One row of the spec's table per operation, each with its timeout and failure rule:
 * <ul>
 * <li>fail-open — {@link #isBlocked} (not blocked) and {@link #pricing} ({@code OPENAI_PRICES});</li>
 * <li>soft — {@link #loadAgent} throws and serve runs the fallback agent; a menu that cannot be fetched
 *     leaves the agent usable with {@link MenuIndex#pricesKnown()} false ({@code pricing_unavailable});</li>
 * <li>fail-closed — every tool write and read throws {@link BackendException};</li>
 * <li>{@link #placeOrder} is sent once: a timeout or a connection broken after sending is
 *     {@link Kind#UNKNOWN_OUTCOME} ({@code order_status_unknown}), never retried;</li>
 * <li>{@link #finishCall}: 3 attempts, and an HTTP error answer is retried once with the reduced body
 *     older back offices accept.</li>
 * </ul>
 * The back office assigns no order numbers to a caller's list; positions stand in for them (§6.4.7).
 */
public final class HttpRestaurantBackend implements RestaurantBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRestaurantBackend.class);
    private static final Set<String> CANCELLABLE = Set.of("pending", "confirmed");
    private static final Set<String> UPCOMING = Set.of("pending", "confirmed");
    private static final Duration HEALTH_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_LISTED = 5;

    private final BackOfficeClient client;
    private final ObjectMapper json;
    private final String defaultRestaurantId;
    private final HttpBackendTimings timings;
    private final Clock clock;
    private final AiPricingCache pricing;
    private final ExecutorService parallel;
    /** Call sid → record id, so that {@code /transfer-result} can update the record the back office created. */
    private final Map<String, String> recordIdsBySid = new ConcurrentHashMap<>();
    /** Restaurant id → its time zone from the last {@code /api/ai}: reservation and order times are read in it. */
    private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
    private final RepeatedAgentParts repeated = new RepeatedAgentParts();

    public HttpRestaurantBackend(HttpClient http, ObjectMapper json, URI nextApiUrl, Secret token,
                                 String defaultRestaurantId, HttpBackendTimings timings, Clock clock) {
        this.client = new BackOfficeClient(http, json, nextApiUrl, token, clock);
        this.json = json;
        this.defaultRestaurantId = defaultRestaurantId;
        this.timings = timings;
        this.clock = clock;
        this.pricing = new AiPricingCache(client, clock, timings.pricing(), timings.pricingTtl());
        this.parallel = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backoffice-menu");
            t.setDaemon(true);
            return t;
        });
    }

    /** The adapter serve runs with {@code VOICEORDER_BACKEND=http}: {@code NEXT_API_URL}, {@code NEXT_API_TOKEN}, {@code RESTAURANT_ID}. */
    public static HttpRestaurantBackend open(ServeConfig config, Clock clock) {
        return new HttpRestaurantBackend(OutboundHttpFactory.create(), new ObjectMapper(),
                config.nextApiUrl(), config.nextApiToken(), config.restaurantId().orElse(null),
                HttpBackendTimings.standard(), clock);
    }

    // #2 + #3 -----------------------------------------------------------------------------------

    @Override
    public Optional<AgentConfig> loadAgent(String restaurantId, String callerPhone) throws BackendException {
        CompletableFuture<JsonNode> menu = CompletableFuture.supplyAsync(() -> {
            try {
                return client.get("/api/menu", query("restaurantId", restaurantId), timings.request());
            } catch (BackendException e) {
                LOG.warn("back office menu unavailable ({}): confirm_order will answer pricing_unavailable", e.getMessage());
                return null;
            }
        }, parallel);
        JsonNode ai;
        try {
            ai = client.get("/api/ai", query("restaurantId", restaurantId, "callerPhone", callerPhone), timings.request());
        } catch (BackendException e) {
            menu.cancel(false);
            if (e.kind() == Kind.NOT_FOUND) {
                LOG.warn("back office does not know restaurant {}", restaurantId);
                return Optional.empty();
            }
            throw e;
        }
        if (!ai.isObject()) {
            menu.cancel(false);
            throw new BackendException(Kind.UNAVAILABLE, "GET /api/ai: not an object");
        }
        JsonNode menuReply;
        try {
            menuReply = menu.join();
        } catch (CompletionException e) {
            menuReply = null;
        }
        AgentConfig agent = repeated.share(BackOfficeAgent.build(restaurantId, ai, BackOfficeMenu.build(field(ai, "itemMap"), menuReply)));
        zones.put(restaurantId, agent.timeZone());
        return Optional.of(agent);
    }

    // #1 ----------------------------------------------------------------------------------------

    @Override
    public boolean isBlocked(String restaurantId, String phone) {
        try {
            JsonNode reply = client.get("/api/blocked-phones/check", query("restaurantId", restaurantId, "phone", phone),
                    timings.blockedCheck());
            return bool(reply, false, "blocked");
        } catch (BackendException e) {
            LOG.warn("blocked check for {} failed ({}): treated as not blocked", PhoneMask.mask(phone), e.getMessage());
            return false;
        }
    }

    // #7 ----------------------------------------------------------------------------------------

    @Override
    public AvailabilityResult checkAvailability(String restaurantId, AvailabilityQuery q) throws BackendException {
        ObjectNode body = json.createObjectNode().put("restaurantId", restaurantId).put("mode", q.mode().wire());
        putIf(body, "requestedTime", q.requestedTime() == null ? null : q.requestedTime().format(DateTimeFormatter.ofPattern("HH:mm")));
        putIf(body, "customerAddress", q.customerAddress());
        putIf(body, "customerCity", q.customerCity());
        putIf(body, "customerPostalCode", q.customerPostalCode());
        if (q.partySize() != null) {
            body.put("partySize", q.partySize());
        }
        putIf(body, "seatingPreference", q.seatingPreference());
        if (q.customerLat() != null && q.customerLng() != null) {
            body.put("customerLat", q.customerLat()).put("customerLng", q.customerLng());
        }
        JsonNode r = client.post("/api/availability/check", body, timings.request());
        if (!r.isObject() || !field(r, "available").isBoolean()) {
            throw new BackendException(Kind.UNAVAILABLE, "POST /api/availability/check: no 'available' in the reply");
        }
        ZoneId zone = zones.getOrDefault(restaurantId, ZoneId.of("Europe/Paris"));
        Map<String, Object> extra = new LinkedHashMap<>();
        Set<String> mapped = Set.of("available", "mode", "estimatedTime", "estimatedTimeISO", "reason", "nextOpening",
                "deliveryFee", "freeAbove", "minOrder", "customerAddressFormatted", "seatsAvailable",
                "deliveryDistanceKm", "deliveryDurationMin", "customerLat", "customerLng", "googleApiCalls");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!mapped.contains(f.getKey())) {
                extra.put(f.getKey(), json.convertValue(f.getValue(), Object.class));
            }
        }
        extra.values().removeIf(v -> v == null);
        return new AvailabilityResult(r.get("available").booleanValue(),
                ServiceMode.fromWire(text(r, "mode")).orElse(q.mode()),
                text(r, "estimatedTime"), dateTime(r, zone, "estimatedTimeISO"), text(r, "reason"),
                text(r, "nextOpening"), decimal(r, "deliveryFee"), decimal(r, "freeAbove"), decimal(r, "minOrder"),
                text(r, "customerAddressFormatted"), integer(r, "seatsAvailable"), real(r, "deliveryDistanceKm"),
                integer(r, "deliveryDurationMin"), real(r, "customerLat"), real(r, "customerLng"),
                integer(r, 0, "googleApiCalls"), extra);
    }

    // #8 ----------------------------------------------------------------------------------------

    @Override
    public PlacedOrder placeOrder(PricedOrder o) throws BackendException {
        boolean delivery = o.orderType() == OrderType.DELIVERY;
        ObjectNode body = json.createObjectNode()
                .put("restaurantId", o.restaurantId())
                .put("callId", o.callId())
                .put("customerId", o.customerId())
                .put("customerName", o.customerName())
                .put("customerPhone", o.customerPhone())
                .put("orderType", o.orderType().wire())
                .put("total", o.total());
        body.put("deliveryAddress", delivery ? address(o) : null);
        body.put("deliveryDistanceKm", delivery ? o.deliveryDistanceKm() : null);
        body.put("deliveryLat", delivery ? o.deliveryLat() : null);
        body.put("deliveryLng", delivery ? o.deliveryLng() : null);
        body.put("deliveryFee", delivery ? o.deliveryFee() : null);
        body.put("estimatedReadyAt", o.estimatedReadyAt() == null ? null : o.estimatedReadyAt().toString());
        body.put("notes", o.notes());
        body.put("paymentMethod", o.paymentMethod());
        ArrayNode items = body.putArray("items");
        for (PricedOrder.PricedLine line : o.lines()) {
            ObjectNode item = items.addObject()
                    .put("menuItemId", line.menuItemId())
                    .put("name", line.name())
                    .put("quantity", line.quantity())
                    .put("unitPrice", line.unitPrice())
                    .put("totalPrice", line.totalPrice());
            ArrayNode options = item.putArray("selectedOptions");
            for (PricedOrder.SelectedOption s : line.selectedOptions()) {
                options.addObject().put("name", s.name()).put("choice", s.choice()).put("extra_price", s.extraPrice());
            }
            item.put("notes", line.notes());
        }
        JsonNode r;
        try {
            r = client.postOnce("/api/orders", body, timings.request());
        } catch (BackendException e) {
            if (e.kind() == Kind.UNKNOWN_OUTCOME) {
                LOG.error("order of {} for {} {} may or may not be stored in the back office ({}): staff should check",
                        PhoneMask.mask(o.customerPhone()), o.total(), o.currency(), e.getMessage());
            }
            throw e;
        }
        String id = text(r, "id");
        if (id == null) {
            // Acknowledged with a 2xx but without an id: the order may exist, so it must not be offered again.
            throw new BackendException(Kind.UNKNOWN_OUTCOME, "POST /api/orders: 2xx without an id");
        }
        return new PlacedOrder(id, integer(r, "orderNumber"));
    }

    private static String address(PricedOrder o) {
        StringBuilder b = new StringBuilder(o.deliveryAddress() == null ? "" : o.deliveryAddress());
        String rest = String.join(" ", nonBlank(o.deliveryPostalCode(), o.deliveryCity()));
        if (!rest.isEmpty() && !b.toString().contains(rest)) {
            b.append(b.length() == 0 ? "" : ", ").append(rest);
        }
        return b.length() == 0 ? null : b.toString();
    }

    private static List<String> nonBlank(String... parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    // #9 ----------------------------------------------------------------------------------------

    @Override
    public PlacedReservation placeReservation(ReservationRequest q) throws BackendException {
        ObjectNode body = json.createObjectNode()
                .put("restaurantId", q.restaurantId())
                .put("callId", q.callId())
                .put("customerId", q.customerId())
                .put("customerName", q.customerName())
                .put("customerPhone", q.customerPhone())
                .put("partySize", q.partySize())
                .put("reservationTime", q.reservationTime() == null ? null : q.reservationTime().toString())
                .put("status", "confirmed")
                .put("seatingPreference", q.seatingPreference())
                .put("notes", q.notes());
        putIf(body, "serviceId", q.serviceId());
        putIf(body, "offerId", q.offerId());
        JsonNode r = client.post("/api/reservations", body, timings.request());
        String id = text(r, "id");
        if (id == null) {
            throw new BackendException(Kind.UNAVAILABLE, "POST /api/reservations: no id in the reply");
        }
        return new PlacedReservation(id, q.reservationTime(), null);
    }

    // #10 ---------------------------------------------------------------------------------------

    @Override
    public Customer saveCustomer(String restaurantId, String phone, CustomerUpdate u) throws BackendException {
        ObjectNode body = json.createObjectNode().put("restaurantId", restaurantId).put("phone", phone);
        putIf(body, "firstName", u.firstName());
        putIf(body, "deliveryAddress", u.deliveryAddress());
        putIf(body, "deliveryCity", u.deliveryCity());
        putIf(body, "deliveryPostalCode", u.deliveryPostalCode());
        putIf(body, "deliveryNotes", u.deliveryNotes());
        JsonNode r = client.post("/api/customers", body, timings.request());
        String id = text(r, "id");
        if (id == null) {
            throw new BackendException(Kind.UNAVAILABLE, "POST /api/customers: no id in the reply");
        }
        // The spec reads id and firstName; a back office that returns the whole customer is read as well.
        return new Customer(id, phone, orElse(text(r, "firstName"), u.firstName()),
                orElse(text(r, "deliveryAddress"), u.deliveryAddress()), orElse(text(r, "deliveryCity"), u.deliveryCity()),
                orElse(text(r, "deliveryPostalCode"), u.deliveryPostalCode()), integer(r, 0, "totalOrders"));
    }

    // #11 ---------------------------------------------------------------------------------------

    @Override
    public void logFaq(String restaurantId, String question, String category, String callerPhone) throws BackendException {
        ObjectNode body = json.createObjectNode().put("restaurantId", restaurantId).put("question", question)
                .put("category", category).put("callerPhone", callerPhone);
        client.post("/api/faq", body, timings.request());
    }

    // #6 and #12 --------------------------------------------------------------------------------

    @Override
    public String leaveMessage(StaffMessage m) throws BackendException {
        ObjectNode body = json.createObjectNode()
                .put("restaurantId", m.restaurantId())
                .put("callId", m.callId())
                .put("callerPhone", m.callerPhone());
        if (m.callerName() != null) {
            body.put("callerName", m.callerName());
        }
        body.put("content", m.content()).put("category", m.category()).put("isUrgent", m.urgent());
        JsonNode r = client.post("/api/messages", body, timings.request());
        String id = text(r, "id");
        return id == null ? "" : id;
    }

    // #13 and #14 -------------------------------------------------------------------------------

    @Override
    public List<OrderSummary> recentOrders(String restaurantId, String phone) throws BackendException {
        JsonNode r = client.get("/api/orders/status", query("restaurantId", restaurantId, "phone", phone), timings.request());
        if (!r.isObject()) {
            throw new BackendException(Kind.UNAVAILABLE, "GET /api/orders/status: not an object");
        }
        if (!bool(r, true, "found")) {
            return List.of();
        }
        ZoneId zone = zones.getOrDefault(restaurantId, ZoneId.of("Europe/Paris"));
        List<OrderSummary> orders = new ArrayList<>();
        for (JsonNode o : field(r, "orders")) {
            orders.add(new OrderSummary(text(o, "id"), integer(o, "orderNumber"), text(o, "status"), text(o, "orderType"),
                    decimal(o, "total"), dateTime(o, zone, "estimatedReadyAt"), dateTime(o, zone, "createdAt"),
                    integer(o, 0, "itemCount"), text(o, "itemsSummary")));
        }
        if (orders.stream().allMatch(o -> o.createdAt() != null)) {
            orders.sort(Comparator.comparing(OrderSummary::createdAt).reversed());
        }
        return List.copyOf(orders.subList(0, Math.min(MAX_LISTED, orders.size())));
    }

    @Override
    public void cancelOrder(String restaurantId, String phone, OrderRef ref) throws BackendException {
        List<OrderSummary> orders = recentOrders(restaurantId, phone);
        OrderSummary match = null;
        for (int i = 0; i < orders.size() && match == null; i++) {
            OrderSummary o = orders.get(i);
            Integer number = o.orderNumber() != null ? o.orderNumber() : Integer.valueOf(i + 1);
            boolean byId = ref.orderId() != null && ref.orderId().equals(o.id());
            boolean byNumber = ref.orderId() == null && ref.orderNumber() != null && ref.orderNumber().equals(number);
            if (byId || byNumber) {
                match = o;
            }
        }
        if (match == null || match.id() == null) {
            throw new BackendException(Kind.NOT_FOUND, "order not among the caller's orders of the last 24 h");
        }
        String status = match.status() == null ? "" : match.status().toLowerCase(Locale.ROOT);
        if (!CANCELLABLE.contains(status)) {
            throw new BackendException(Kind.NOT_ALLOWED, "order is " + status, Map.of("status", status), null);
        }
        client.patch("/api/orders", json.createObjectNode().put("id", match.id()).put("status", "cancelled"), timings.request());
    }

    // #15 and #16 -------------------------------------------------------------------------------

    @Override
    public List<ReservationSummary> upcomingReservations(String restaurantId, String phone) throws BackendException {
        JsonNode r = client.get("/api/reservations/lookup", query("restaurantId", restaurantId, "phone", phone), timings.request());
        if (!r.isObject()) {
            throw new BackendException(Kind.UNAVAILABLE, "GET /api/reservations/lookup: not an object");
        }
        if (!bool(r, true, "found")) {
            return List.of();
        }
        ZoneId zone = zones.getOrDefault(restaurantId, ZoneId.of("Europe/Paris"));
        OffsetDateTime startOfToday = LocalDate.now(clock.withZone(zone)).atStartOfDay(zone).toOffsetDateTime();
        List<ReservationSummary> list = new ArrayList<>();
        for (JsonNode x : field(r, "reservations")) {
            String status = text(x, "status") == null ? "confirmed" : text(x, "status").toLowerCase(Locale.ROOT);
            OffsetDateTime time = dateTime(x, zone, "reservationTime");
            if (!UPCOMING.contains(status) || (time != null && time.isBefore(startOfToday))) {
                continue;
            }
            list.add(new ReservationSummary(text(x, "id"), text(x, "customerName"), integer(x, 0, "partySize"), time,
                    status, text(x, "seatingPreference"), text(x, "notes")));
        }
        list.sort(Comparator.comparing(ReservationSummary::reservationTime, Comparator.nullsLast(Comparator.naturalOrder())));
        return List.copyOf(list.subList(0, Math.min(MAX_LISTED, list.size())));
    }

    @Override
    public void cancelReservation(String restaurantId, String phone, String reservationId) throws BackendException {
        boolean mine = upcomingReservations(restaurantId, phone).stream()
                .anyMatch(x -> x.id() != null && x.id().equals(reservationId));
        if (!mine) {
            throw new BackendException(Kind.NOT_FOUND, "reservation not among the caller's upcoming reservations");
        }
        JsonNode r = client.patch("/api/reservations",
                json.createObjectNode().put("id", reservationId).put("status", "cancelled"), timings.request());
        if (r.isNull()) {
            throw new BackendException(Kind.NOT_FOUND, "PATCH /api/reservations: null reply (unknown id)");
        }
    }

    // #4 and #5 ---------------------------------------------------------------------------------

    @Override
    public String startCall(CallStart call) throws BackendException {
        String id = createRecord(call.restaurantId(), call.callerNumber(), call.customerId(), call.startedAt());
        if (call.callSid() != null) {
            recordIdsBySid.put(call.callSid(), id);
        }
        return id;
    }

    private String createRecord(String restaurantId, String callerNumber, String customerId, Instant startedAt)
            throws BackendException {
        ObjectNode body = json.createObjectNode()
                .put("restaurantId", restaurantId)
                .put("callerNumber", callerNumber)
                .put("customerId", customerId)
                .put("startedAt", startedAt == null ? null : startedAt.toString());
        JsonNode r = client.post("/api/calls", body, timings.request());
        String id = text(r, "id");
        if (id == null) {
            throw new BackendException(Kind.UNAVAILABLE, "POST /api/calls: no id in the reply");
        }
        return id;
    }

    @Override
    public void finishCall(CallRecord record) throws BackendException {
        String id = record.id();
        if (id == null) {
            // The create at call start failed: it is retried once now.
            id = createRecord(record.restaurantId(), record.callerNumber(), record.customerId(), record.startedAt());
        }
        if (record.callSid() != null) {
            recordIdsBySid.put(record.callSid(), id);
        }
        ObjectNode reduced = json.createObjectNode()
                .put("id", id)
                .put("endedAt", record.endedAt() == null ? null : record.endedAt().toString())
                .put("durationSec", record.durationSec())
                .put("outcome", record.outcome());
        ArrayNode transcript = reduced.putArray("transcript");
        for (CallRecord.TranscriptLine line : record.transcript()) {
            ObjectNode l = transcript.addObject().put("role", line.role()).put("content", line.content())
                    .put("timestamp", line.timestamp() == null ? null : line.timestamp().toString());
            if (Boolean.TRUE.equals(line.interrupted())) {
                l.put("interrupted", true);
                if (line.heardMs() != null) {
                    l.put("heardMs", line.heardMs());
                }
            }
        }
        ObjectNode full = reduced.deepCopy()
                .put("inputTokens", record.inputTokens())
                .put("outputTokens", record.outputTokens())
                .put("inputAudioTokens", record.inputAudioTokens())
                .put("outputAudioTokens", record.outputAudioTokens())
                .put("costAi", record.costAi())
                .put("costTelecom", record.costTelecom())
                .put("costGoogle", record.costGoogle())
                .put("aiModel", record.aiModel())
                .put("costCurrency", record.costCurrency());
        BackendException last = null;
        boolean reducedTried = false;
        int attempts = timings.finalizeDelays().size() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                client.patch("/api/calls", full, timings.request());
                return;
            } catch (BackendException e) {
                last = e;
                if (e.details().containsKey("httpStatus") && !reducedTried) {
                    reducedTried = true;
                    try {
                        client.patch("/api/calls", reduced, timings.request());
                        LOG.info("call record {} finalized with the reduced body (the back office refused the full one: {})",
                                id, e.getMessage());
                        return;
                    } catch (BackendException again) {
                        last = again;
                    }
                }
            }
            if (attempt < attempts) {
                LOG.warn("call record {} not finalized ({}): retrying", id, last.getMessage());
                sleep(timings.finalizeDelays().get(attempt - 1));
            }
        }
        throw last;
    }

    private static void sleep(Duration d) throws BackendException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(Kind.UNAVAILABLE, "interrupted while retrying", e);
        }
    }

    /**
     * The back office's table has no transfer-status call: the record created for that call sid is
     * patched with {@code transferStatus}, which back offices that do not know the field ignore.
     */
    @Override
    public void updateTransferStatus(String callSid, String status) throws BackendException {
        String id = recordIdsBySid.get(callSid);
        if (id == null) {
            throw new BackendException(Kind.NOT_FOUND, "no call record of this serve for that call sid");
        }
        client.patch("/api/calls", json.createObjectNode().put("id", id).put("transferStatus", status), timings.request());
    }

    // #17 ---------------------------------------------------------------------------------------

    @Override
    public Optional<TokenPricing> pricing(String model) {
        return pricing.pricing(model);
    }

    @Override
    public Optional<String> defaultRestaurantId() {
        return Optional.ofNullable(defaultRestaurantId);
    }

    @Override
    public BackendHealth health() {
        Instant failed = client.lastFailure();
        boolean ok = failed == null || Duration.between(failed, clock.instant()).compareTo(HEALTH_WINDOW) > 0;
        List<String> restaurants = defaultRestaurantId == null ? List.of() : List.of(defaultRestaurantId);
        return new BackendHealth("http", ok, null, restaurants, defaultRestaurantId, false);
    }

    private static void putIf(ObjectNode body, String name, String value) {
        if (value != null && !value.isBlank()) {
            body.put(name, value);
        }
    }

    private static String orElse(String fromReply, String given) {
        if (fromReply != null && !fromReply.isBlank()) {
            return fromReply;
        }
        return given == null || given.isBlank() ? null : given;
    }

    /** Stops the menu-fetch threads; the shared HTTP client needs no closing. */
    @Override
    public void close() {
        parallel.shutdownNow();
    }
}
