package io.voiceorder.app.restaurant;

import java.util.Locale;
import java.util.Optional;

/** How an order is served (§6.4.2 {@code order_type}). */
public enum OrderType {
    PICKUP, DELIVERY, DINE_IN;

    /** The wire value, e.g. {@code "dine_in"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The availability mode that must have been checked: delivery for delivery, pickup otherwise. */
    public ServiceMode checkedMode() {
        return this == DELIVERY ? ServiceMode.DELIVERY : ServiceMode.PICKUP;
    }

    public static Optional<OrderType> fromWire(String value) {
        for (OrderType t : values()) {
            if (t.wire().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
