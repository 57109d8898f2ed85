package io.voiceorder.app.restaurant;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The answer to an {@link AvailabilityQuery} (§6.4.1, §7.2.4). Fields that do not apply are null.
 *
 * @param estimatedTime            {@code HH:MM} in the restaurant's zone (when available)
 * @param estimatedTimeIso         the same instant with its offset
 * @param reason                   why not available, e.g. {@code closed}, {@code outside_delivery_zone},
 *                                 {@code not_enough_seats_available_4_requested_6}
 * @param nextOpening              {@code closed}: first possible time as ISO-8601 with offset, or null
 * @param customerAddressFormatted delivery: "address, postal code city"
 * @param seatsAvailable           reservation: free seats at that time
 * @param googleApiCalls           http: paid geocoding calls made by the back office (cost, §5.8); 0 embedded
 * @param extra                    http: every other field of the back office's reply, passed to the model as is
 */
public record AvailabilityResult(boolean available, ServiceMode mode, String estimatedTime,
                                 OffsetDateTime estimatedTimeIso, String reason, String nextOpening,
                                 BigDecimal deliveryFee, BigDecimal freeAbove, BigDecimal minOrder,
                                 String customerAddressFormatted, Integer seatsAvailable,
                                 Double deliveryDistanceKm, Integer deliveryDurationMin,
                                 Double customerLat, Double customerLng, int googleApiCalls,
                                 Map<String, Object> extra) {

    public AvailabilityResult {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** A refusal with its reason code. */
    public static AvailabilityResult unavailable(ServiceMode mode, String reason) {
        return new AvailabilityResult(false, mode, null, null, reason, null, null, null, null, null, null,
                null, null, null, null, 0, Map.of());
    }
}
