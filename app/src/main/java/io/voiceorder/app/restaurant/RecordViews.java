package io.voiceorder.app.restaurant;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Read-only views of stored orders and calls (serve.md §3.6), offered by backends that hold them
 * (embedded); the http back office has its own.
 */
public interface RecordViews {

    /**
     * @param restaurantId null for every restaurant
     * @param limit        1..500
     * @param since        null, else only records created (orders) or started (calls) at or after it
     */
    record Query(String restaurantId, int limit, Instant since) {
    }

    /** Newest first. */
    List<OrderView> orders(Query query) throws BackendException;

    Optional<OrderView> order(String id) throws BackendException;

    /** Newest first. */
    List<CallView> calls(Query query) throws BackendException;

    Optional<CallView> call(String id) throws BackendException;

    /** An order with its lines. */
    record OrderView(String id, String restaurantId, int orderNumber, String callId, String customerId, String customerName,
                     String customerPhone, String orderType, String deliveryAddress, String deliveryCity,
                     String deliveryPostalCode, BigDecimal subtotal, BigDecimal deliveryFee, BigDecimal total,
                     String currency, String status, Instant estimatedReadyAt, String paymentMethod, String notes,
                     String source, Instant createdAt, Instant updatedAt, Instant cancelledAt, List<OrderLineView> items) {
        public OrderView {
            items = List.copyOf(items);
        }
    }

    /** @param selectedOptions {@code [{name, choice, extra_price}]} */
    record OrderLineView(int lineNo, String menuItemId, String name, int quantity, BigDecimal unitPrice,
                         BigDecimal totalPrice, JsonNode selectedOptions, String notes) {
    }

    /** A call record (§6.6) with its transcript and costs. */
    record CallView(String id, String restaurantId, String callSid, String streamSid, String mode, String direction,
                    String callerNumber, String calledNumber, String customerId, Instant startedAt, Instant endedAt,
                    Integer durationSec, String outcome, String endReason, JsonNode transcript, long inputTokens,
                    long outputTokens, long inputAudioTokens, long outputAudioTokens, long cachedInputTokens,
                    BigDecimal costAi, BigDecimal costTelecom, BigDecimal costGoogle, String costCurrency, String aiModel,
                    int reconnects, int bargeIns, String transferTarget, String transferStatus) {
    }
}
