package io.voiceorder.app.restaurant;

import java.time.OffsetDateTime;

/** One of a caller's upcoming reservations (§6.4.9). */
public record ReservationSummary(String id, String customerName, int partySize, OffsetDateTime reservationTime,
                                 String status, String seatingPreference, String notes) {
}
