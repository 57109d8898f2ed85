package io.voiceorder.app.restaurant;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An order priced by serve from the menu index (§6.3) and confirmed by the caller (§6.4.2),
 * ready to store. Amounts have 2 decimals. Delivery fields are null unless {@link OrderType#DELIVERY}.
 *
 * @param callId           the call record id, or null if the record could not be created
 * @param customerId       known customer, or null
 * @param estimatedReadyAt the availability check's {@code estimatedTimeISO}
 * @param paymentMethod    {@code cash}, {@code card} or {@code online}
 */
public record PricedOrder(String restaurantId, String callId, String customerId, String customerName,
                          String customerPhone, OrderType orderType, List<PricedLine> lines,
                          BigDecimal subtotal, BigDecimal deliveryFee, BigDecimal total, String currency,
                          String deliveryAddress, String deliveryCity, String deliveryPostalCode,
                          Double deliveryDistanceKm, Double deliveryLat, Double deliveryLng,
                          OffsetDateTime estimatedReadyAt, String paymentMethod, String notes) {

    public PricedOrder {
        lines = List.copyOf(lines);
    }

    /**
     * One priced line.
     *
     * @param menuItemId stable id of the entry (file id in embedded mode)
     * @param name       name snapshot
     */
    public record PricedLine(String menuItemId, String name, int quantity, BigDecimal unitPrice,
                             BigDecimal totalPrice, List<SelectedOption> selectedOptions, String notes) {
        public PricedLine {
            selectedOptions = List.copyOf(selectedOptions);
        }
    }

    /** A chosen option as stored: {@code {name, choice, extra_price}}; formula slot choices have extra 0. */
    public record SelectedOption(String name, String choice, BigDecimal extraPrice) {
    }
}
