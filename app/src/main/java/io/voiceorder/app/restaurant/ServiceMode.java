package io.voiceorder.app.restaurant;

import java.util.Locale;
import java.util.Optional;

/** What an availability check is for (§6.4.1 {@code mode}). */
public enum ServiceMode {
    PICKUP, DELIVERY, RESERVATION;

    /** The wire value, e.g. {@code "pickup"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ServiceMode> fromWire(String value) {
        for (ServiceMode m : values()) {
            if (m.wire().equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
