package io.voiceorder.app.restaurant;

import java.time.OffsetDateTime;

/**
 * A reservation to store (§6.4.3), status {@code confirmed}.
 *
 * @param reservationTime the availability check's {@code estimatedTimeISO}
 * @param serviceId       http only, forwarded when present
 * @param offerId         http only, forwarded when present
 */
public record ReservationRequest(String restaurantId, String callId, String customerId, String customerName,
                                 String customerPhone, int partySize, OffsetDateTime reservationTime,
                                 String seatingPreference, String notes, String serviceId, String offerId) {
}
