package io.voiceorder.app.restaurant;

import java.util.List;
import java.util.Optional;

/**
 * The restaurant backend port (serve.md §7.1): everything the agent, its tools and the call code
 * need from the restaurant — its agent configuration, availability, orders, reservations,
 * customers, messages, FAQ, blocked numbers and call records. Two adapters implement it: the
 * {@code embedded} one (restaurant file + H2/PostgreSQL) and the {@code http} one (the existing
 * back office). Tools and the call code see only this interface.
 *
 * <p>Every operation that can fail throws {@link BackendException}, whose {@link BackendException.Kind}
 * lets a tool map the failure to the spec's error code. A method returns only once its write is
 * committed (embedded) or acknowledged with a 2xx (http). Phone numbers passed in are already
 * normalised to E.164 by serve (§6.1); anonymous callers never reach the phone-keyed operations.
 * Implementations are thread-safe: calls run tools concurrently.
 */
public interface RestaurantBackend {

    /**
     * The agent of a restaurant for one call, taken when the call starts: instructions, tools,
     * voice, language, time zone, currency, menu index with prices, transfer settings and the
     * customer context of {@code callerPhone}.
     *
     * @param callerPhone normalised caller number, or null for an anonymous caller
     * @return empty for an unknown restaurant (serve then runs the fallback agent, §6.2)
     */
    Optional<AgentConfig> loadAgent(String restaurantId, String callerPhone) throws BackendException;

    /** True if {@code phone} is blocked for the restaurant (§9.1). */
    boolean isBlocked(String restaurantId, String phone) throws BackendException;

    /** Availability for a mode, time, address and party (§7.2.4, §7.3 #7). */
    AvailabilityResult checkAvailability(String restaurantId, AvailabilityQuery query) throws BackendException;

    /**
     * Stores a priced order atomically: order, lines, next order number and the customer's stats.
     * Kind {@link BackendException.Kind#UNKNOWN_OUTCOME} when the write may or may not have happened.
     */
    PlacedOrder placeOrder(PricedOrder order) throws BackendException;

    /**
     * Stores a reservation, re-checking capacity in the same transaction (embedded).
     * Kind {@link BackendException.Kind#NO_CAPACITY} (detail {@code seatsAvailable}) when the seats went meanwhile.
     */
    PlacedReservation placeReservation(ReservationRequest reservation) throws BackendException;

    /** Upserts the customer keyed by (restaurant, phone); empty update fields keep stored values. */
    Customer saveCustomer(String restaurantId, String phone, CustomerUpdate update) throws BackendException;

    /** Records an unanswered question, or counts it again when the same question is already known. */
    void logFaq(String restaurantId, String question, String category, String callerPhone) throws BackendException;

    /** Stores a message for staff; returns its id. */
    String leaveMessage(StaffMessage message) throws BackendException;

    /** The phone's orders of the last 24 h, newest first, at most 5. */
    List<OrderSummary> recentOrders(String restaurantId, String phone) throws BackendException;

    /**
     * Cancels one of that phone's orders of the last 24 h, looked up afresh.
     * Kind {@link BackendException.Kind#NOT_FOUND} if it is not one of the phone's orders;
     * {@link BackendException.Kind#NOT_ALLOWED} (detail {@code status}) if it is no longer pending or confirmed.
     */
    void cancelOrder(String restaurantId, String phone, OrderRef order) throws BackendException;

    /** That phone's pending/confirmed reservations from the start of today (restaurant time), soonest first, at most 5. */
    List<ReservationSummary> upcomingReservations(String restaurantId, String phone) throws BackendException;

    /**
     * Cancels one of that phone's upcoming reservations, looked up afresh.
     * Kind {@link BackendException.Kind#NOT_FOUND} if it is not one of them.
     */
    void cancelReservation(String restaurantId, String phone, String reservationId) throws BackendException;

    /** Creates the call record with outcome {@code in_progress}; returns its id. */
    String startCall(CallStart call) throws BackendException;

    /** Writes the final call record; called once per call. */
    void finishCall(CallRecord record) throws BackendException;

    /** Records the result of a Twilio {@code <Dial>} on the newest record of that call sid (§3.3). */
    void updateTransferStatus(String callSid, String status) throws BackendException;

    /**
     * Token prices for a model (§5.8) when the backend has its own (http: {@code /api/ai-pricing});
     * empty means "use {@code OPENAI_PRICES}" (always for embedded, and http's fail-open). Never throws.
     */
    Optional<TokenPricing> pricing(String model);

    /**
     * The restaurant used when a stream or webhook names none: {@code RESTAURANT_ID}, else (embedded)
     * the only restaurant of the restaurant file. Never throws.
     */
    Optional<String> defaultRestaurantId();

    /** Adapter state for {@code /health} (§3.4); never throws. */
    BackendHealth health();
}
