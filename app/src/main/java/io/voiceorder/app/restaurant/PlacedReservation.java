package io.voiceorder.app.restaurant;

import java.time.OffsetDateTime;

/**
 * A stored reservation.
 *
 * @param endTime start + {@code avg_meal_duration_min} (embedded); null when the back office does not say
 */
public record PlacedReservation(String id, OffsetDateTime reservationTime, OffsetDateTime endTime) {
}
