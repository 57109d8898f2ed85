package io.voiceorder.app.agent;

import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.ServiceMode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent has learnt and done in one call (serve.md §6.1): the customer, the last successful
 * availability check per mode, orders and reservations placed, messages left, the last refused
 * order. It is what a replacement OpenAI session is re-seeded from (§5.10) and what decides the
 * outcome (§6.5). Owned by the call's serial executor; tools read an immutable {@link View} and
 * hand back changes that the executor applies.
 */
public final class CallState {

    /** The caller as a customer: known from the backend, or learnt through {@code save_customer_info}. */
    public record Customer(String id, String firstName, String address, String city, String postalCode,
                           Double lat, Double lng, int previousOrders) {
        static final Customer NONE = new Customer(null, null, null, null, null, null, null, 0);

        static Customer from(AgentConfig.CustomerContext c) {
            return c == null ? NONE : new Customer(c.id(), c.firstName(), c.deliveryAddress(), c.deliveryCity(),
                    c.deliveryPostalCode(), c.deliveryLat(), c.deliveryLng(), c.totalOrders());
        }
    }

    /** A successful availability check and what it was asked with. */
    public record AvailabilityCheck(AvailabilityResult result, Instant at, Integer partySize,
                                    String address, String city, String postalCode) {
    }

    /** An order stored in this call, with the reply the model got (given again for a duplicate). */
    public record OrderPlaced(String id, Integer number, List<PricedOrder.PricedLine> lines, BigDecimal total,
                              Instant at, String replyJson) {
        public OrderPlaced {
            lines = List.copyOf(lines);
        }
    }

    /** A reservation stored in this call. */
    public record ReservationPlaced(String id, String time, int partySize, Instant at, String replyJson) {
    }

    /** The last {@code confirm_order} that was refused: its error and what the lines were. */
    public record RefusedOrder(String error, String summary) {
    }

    /** An immutable copy for a tool running off the call's executor. */
    public record View(Customer customer, Map<ServiceMode, AvailabilityCheck> checks, List<OrderPlaced> orders,
                       List<ReservationPlaced> reservations, List<String> messageIds, RefusedOrder lastRefused,
                       Map<Integer, String> orderIdsByNumber) {
        public View {
            checks = Map.copyOf(checks);
            orders = List.copyOf(orders);
            reservations = List.copyOf(reservations);
            messageIds = List.copyOf(messageIds);
            orderIdsByNumber = Map.copyOf(orderIdsByNumber);
        }
    }

    private Customer customer;
    private final Map<ServiceMode, AvailabilityCheck> checks = new EnumMap<>(ServiceMode.class);
    private final List<OrderPlaced> orders = new ArrayList<>();
    private final List<ReservationPlaced> reservations = new ArrayList<>();
    private final List<String> messageIds = new ArrayList<>();
    private RefusedOrder lastRefused;
    private Map<Integer, String> orderIdsByNumber = Map.of();
    private int googleApiCalls;

    public CallState(AgentConfig.CustomerContext known) {
        this.customer = Customer.from(known);
    }

    public View view() {
        return new View(customer, checks, orders, reservations, messageIds, lastRefused, orderIdsByNumber);
    }

    public Customer customer() {
        return customer;
    }

    public void customer(Customer updated) {
        this.customer = updated;
    }

    /** A check with {@code available: true} replaces the previous one of its mode. */
    public void availabilityChecked(AvailabilityCheck check) {
        checks.put(check.result().mode(), check);
    }

    public void googleApiCalls(int calls) {
        googleApiCalls += Math.max(0, calls);
    }

    public int googleApiCalls() {
        return googleApiCalls;
    }

    public void orderPlaced(OrderPlaced order) {
        orders.add(order);
        lastRefused = null;
    }

    public void orderRefused(RefusedOrder refused) {
        lastRefused = refused;
    }

    public void reservationPlaced(ReservationPlaced reservation) {
        reservations.add(reservation);
    }

    public void messageLeft(String id) {
        messageIds.add(id);
    }

    /** The order numbers {@code check_order_status} told the model, with their backend ids. */
    public void orderNumbersSeen(Map<Integer, String> idsByNumber) {
        this.orderIdsByNumber = Map.copyOf(idsByNumber);
    }

    public boolean orderPlaced() {
        return !orders.isEmpty();
    }

    public boolean reservationPlaced() {
        return !reservations.isEmpty();
    }

    public boolean messageLeft() {
        return !messageIds.isEmpty();
    }
}
