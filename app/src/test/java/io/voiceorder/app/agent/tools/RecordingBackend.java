package io.voiceorder.app.agent.tools;

import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendHealth;
import io.voiceorder.app.restaurant.CallRecord;
import io.voiceorder.app.restaurant.CallStart;
import io.voiceorder.app.restaurant.Customer;
import io.voiceorder.app.restaurant.CustomerUpdate;
import io.voiceorder.app.restaurant.OrderRef;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.PlacedOrder;
import io.voiceorder.app.restaurant.PlacedReservation;
import io.voiceorder.app.restaurant.PricedOrder;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ReservationSummary;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.StaffMessage;
import io.voiceorder.app.restaurant.TokenPricing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A restaurant backend for tool tests: it records what the tools ask, answers what the test set up,
 * and fails an operation on demand with the {@link BackendException} the test chose.
 */
final class RecordingBackend implements RestaurantBackend {
    final List<AvailabilityQuery> availabilityQueries = new CopyOnWriteArrayList<>();
    final List<PricedOrder> orders = new CopyOnWriteArrayList<>();
    final List<ReservationRequest> reservations = new CopyOnWriteArrayList<>();
    final List<StaffMessage> messages = new CopyOnWriteArrayList<>();
    final List<String> phonesAsked = new CopyOnWriteArrayList<>();
    final List<OrderRef> cancelledOrders = new CopyOnWriteArrayList<>();
    final List<String> cancelledReservations = new CopyOnWriteArrayList<>();
    final Map<String, BackendException> failures = new HashMap<>();
    Function<AvailabilityQuery, AvailabilityResult> availability;
    List<OrderSummary> recent = new ArrayList<>();
    List<ReservationSummary> upcoming = new ArrayList<>();
    private int nextOrderNumber = 1;

    void fail(String operation, BackendException.Kind kind) {
        failures.put(operation, new BackendException(kind, "test failure"));
    }

    void fail(String operation, BackendException e) {
        failures.put(operation, e);
    }

    private void maybeFail(String operation) throws BackendException {
        BackendException e = failures.get(operation);
        if (e != null) {
            throw e;
        }
    }

    @Override
    public Optional<AgentConfig> loadAgent(String restaurantId, String callerPhone) throws BackendException {
        maybeFail("loadAgent");
        return Optional.empty();
    }

    @Override
    public boolean isBlocked(String restaurantId, String phone) throws BackendException {
        maybeFail("isBlocked");
        return false;
    }

    @Override
    public AvailabilityResult checkAvailability(String restaurantId, AvailabilityQuery query) throws BackendException {
        maybeFail("checkAvailability");
        availabilityQueries.add(query);
        return availability.apply(query);
    }

    @Override
    public synchronized PlacedOrder placeOrder(PricedOrder order) throws BackendException {
        maybeFail("placeOrder");
        orders.add(order);
        int n = nextOrderNumber++;
        return new PlacedOrder("order-" + n, n);
    }

    @Override
    public PlacedReservation placeReservation(ReservationRequest reservation) throws BackendException {
        maybeFail("placeReservation");
        reservations.add(reservation);
        return new PlacedReservation("resa-" + reservations.size(), reservation.reservationTime(), null);
    }

    @Override
    public Customer saveCustomer(String restaurantId, String phone, CustomerUpdate update) throws BackendException {
        maybeFail("saveCustomer");
        phonesAsked.add(phone);
        return new Customer("cust-1", phone, update.firstName(), update.deliveryAddress(), update.deliveryCity(),
                update.deliveryPostalCode(), 0);
    }

    @Override
    public void logFaq(String restaurantId, String question, String category, String callerPhone) throws BackendException {
        maybeFail("logFaq");
    }

    @Override
    public String leaveMessage(StaffMessage message) throws BackendException {
        maybeFail("leaveMessage");
        messages.add(message);
        return "msg-" + messages.size();
    }

    @Override
    public List<OrderSummary> recentOrders(String restaurantId, String phone) throws BackendException {
        maybeFail("recentOrders");
        phonesAsked.add(phone);
        return recent;
    }

    @Override
    public void cancelOrder(String restaurantId, String phone, OrderRef order) throws BackendException {
        maybeFail("cancelOrder");
        phonesAsked.add(phone);
        cancelledOrders.add(order);
    }

    @Override
    public List<ReservationSummary> upcomingReservations(String restaurantId, String phone) throws BackendException {
        maybeFail("upcomingReservations");
        phonesAsked.add(phone);
        return upcoming;
    }

    @Override
    public void cancelReservation(String restaurantId, String phone, String reservationId) throws BackendException {
        maybeFail("cancelReservation");
        phonesAsked.add(phone);
        cancelledReservations.add(reservationId);
    }

    @Override
    public String startCall(CallStart call) throws BackendException {
        maybeFail("startCall");
        return "call-1";
    }

    @Override
    public void finishCall(CallRecord record) throws BackendException {
        maybeFail("finishCall");
    }

    @Override
    public void updateTransferStatus(String callSid, String status) {
    }

    @Override
    public Optional<TokenPricing> pricing(String model) {
        return Optional.empty();
    }

    @Override
    public Optional<String> defaultRestaurantId() {
        return Optional.of("da-marco");
    }

    @Override
    public BackendHealth health() {
        return new BackendHealth("test", true, null, List.of("da-marco"), "da-marco", false);
    }
}
