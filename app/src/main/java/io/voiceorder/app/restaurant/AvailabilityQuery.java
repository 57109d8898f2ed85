package io.voiceorder.app.restaurant;

import java.time.LocalTime;

/**
 * An availability question (§6.4.1, §7.3 #7). Optional fields are null when not given.
 *
 * @param requestedTime     wall-clock time in the restaurant's zone (today, or tomorrow if past), or null for "as soon as possible"
 * @param partySize         reservations only
 * @param seatingPreference {@code window}, {@code outdoor}, {@code large_table}, {@code quiet}, {@code bar}
 * @param customerLat       http only: stored coordinates sent when the address equals the stored one
 */
public record AvailabilityQuery(ServiceMode mode, LocalTime requestedTime, String customerAddress, String customerCity,
                                String customerPostalCode, Integer partySize, String seatingPreference,
                                Double customerLat, Double customerLng) {

    public static AvailabilityQuery of(ServiceMode mode, LocalTime requestedTime) {
        return new AvailabilityQuery(mode, requestedTime, null, null, null, null, null, null, null);
    }
}
