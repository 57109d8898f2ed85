package io.voiceorder.app.restaurant.embedded;

import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.ServiceMode;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The embedded availability rules (serve.md §7.2.4). "Now" is the restaurant's wall-clock time read
 * from an injectable {@link Clock}; a requested {@code HH:MM} means today, or tomorrow if already past.
 */
public final class AvailabilityRules {
    static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm");

    /** Seats already booked by pending/confirmed reservations overlapping [start, end). */
    @FunctionalInterface
    public interface SeatsTaken {
        int between(String restaurantId, OffsetDateTime start, OffsetDateTime end) throws BackendException;
    }

    private final Clock clock;

    public AvailabilityRules(Clock clock) {
        this.clock = clock;
    }

    public AvailabilityResult check(RestaurantDefinition r, AvailabilityQuery q, SeatsTaken seats) throws BackendException {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(r.timeZone()));
        return switch (q.mode()) {
            case PICKUP -> pickup(r, q, now);
            case DELIVERY -> delivery(r, q, now);
            case RESERVATION -> reservation(r, q, now, seats);
        };
    }

    private AvailabilityResult pickup(RestaurantDefinition r, AvailabilityQuery q, ZonedDateTime now) {
        if (!r.services().pickup()) {
            return AvailabilityResult.unavailable(ServiceMode.PICKUP, "pickup_not_enabled");
        }
        ZonedDateTime ready = later(ceilMinute(now.plusMinutes(r.avgPrepTimeMin())), requested(q, now));
        if (!r.openingHours().isOpen(ready.toLocalDateTime())) {
            return closed(r, ServiceMode.PICKUP, ready);
        }
        return available(ServiceMode.PICKUP, ready, null, null, null, null, null);
    }

    private AvailabilityResult delivery(RestaurantDefinition r, AvailabilityQuery q, ZonedDateTime now) {
        if (!r.services().delivery()) {
            return AvailabilityResult.unavailable(ServiceMode.DELIVERY, "delivery_not_enabled");
        }
        RestaurantDefinition.Delivery d = r.delivery() != null ? r.delivery() : RestaurantDefinition.Delivery.defaults();
        if (blank(q.customerAddress())) {
            return AvailabilityResult.unavailable(ServiceMode.DELIVERY, "customer_address_required");
        }
        String postal = blank(q.customerPostalCode()) ? null : q.customerPostalCode().replace(" ", "");
        if (!d.postalCodes().isEmpty()) {
            if (postal == null) {
                return AvailabilityResult.unavailable(ServiceMode.DELIVERY, "postal_code_required");
            }
            if (!d.postalCodes().contains(postal)) {
                return AvailabilityResult.unavailable(ServiceMode.DELIVERY, "outside_delivery_zone");
            }
        }
        ZonedDateTime at = later(ceilMinute(now.plusMinutes(r.avgPrepTimeMin() + d.estimatedDeliveryMin())), requested(q, now));
        if (!r.openingHours().isOpen(at.toLocalDateTime())) {
            return closed(r, ServiceMode.DELIVERY, at);
        }
        StringBuilder address = new StringBuilder(q.customerAddress().trim());
        String cityPart = ((postal == null ? "" : postal) + " " + (blank(q.customerCity()) ? "" : q.customerCity().trim())).trim();
        if (!cityPart.isEmpty()) {
            address.append(", ").append(cityPart);
        }
        return available(ServiceMode.DELIVERY, at, d, address.toString(), null, null, null);
    }

    private AvailabilityResult reservation(RestaurantDefinition r, AvailabilityQuery q, ZonedDateTime now, SeatsTaken seats)
            throws BackendException {
        RestaurantDefinition.Reservations terms = r.reservations();
        if (!r.services().reservation() || terms == null) {
            return AvailabilityResult.unavailable(ServiceMode.RESERVATION, "reservation_not_enabled");
        }
        if (q.partySize() == null || q.partySize() < 1) {
            return AvailabilityResult.unavailable(ServiceMode.RESERVATION, "party_size_required");
        }
        if (q.partySize() > terms.maxPartySize()) {
            return AvailabilityResult.unavailable(ServiceMode.RESERVATION, "party_too_large_max_" + terms.maxPartySize());
        }
        ZonedDateTime earliest = now.plusMinutes(terms.minAdvanceMin());
        ZonedDateTime start = q.requestedTime() != null ? requested(q, now) : ceilQuarter(earliest);
        if (start.isBefore(earliest.truncatedTo(ChronoUnit.MINUTES))) {
            return AvailabilityResult.unavailable(ServiceMode.RESERVATION, "reservation_too_soon_min_" + terms.minAdvanceMin() + "min");
        }
        if (start.isAfter(now.plusDays(terms.maxAdvanceDays()))) {
            return AvailabilityResult.unavailable(ServiceMode.RESERVATION, "reservation_too_far_max_" + terms.maxAdvanceDays() + "days");
        }
        if (!r.openingHours().isOpen(start.toLocalDateTime())) {
            return closed(r, ServiceMode.RESERVATION, start);
        }
        OffsetDateTime from = start.toOffsetDateTime();
        int free = Math.max(0, terms.totalSeats()
                - seats.between(r.id(), from, from.plus(Duration.ofMinutes(terms.avgMealDurationMin()))));
        if (free < q.partySize()) {
            return new AvailabilityResult(false, ServiceMode.RESERVATION, null, null,
                    "not_enough_seats_available_" + free + "_requested_" + q.partySize(), null, null, null, null,
                    null, free, null, null, null, null, 0, Map.of());
        }
        return available(ServiceMode.RESERVATION, start, null, null, free, null, null);
    }

    /** The requested time today, or tomorrow if that minute is already past; null when none was asked. */
    private static ZonedDateTime requested(AvailabilityQuery q, ZonedDateTime now) {
        if (q.requestedTime() == null) {
            return null;
        }
        ZonedDateTime today = now.toLocalDate().atTime(q.requestedTime()).atZone(now.getZone());
        return today.isBefore(now.truncatedTo(ChronoUnit.MINUTES)) ? today.plusDays(1) : today;
    }

    private static AvailabilityResult closed(RestaurantDefinition r, ServiceMode mode, ZonedDateTime at) {
        String next = r.openingHours().nextOpening(at).map(t -> t.toOffsetDateTime().toString()).orElse(null);
        return new AvailabilityResult(false, mode, null, null, "closed", next, null, null, null, null, null,
                null, null, null, null, 0, Map.of());
    }

    private static AvailabilityResult available(ServiceMode mode, ZonedDateTime at, RestaurantDefinition.Delivery d,
                                                String address, Integer seats, Double lat, Double lng) {
        return new AvailabilityResult(true, mode, at.format(HHMM), at.toOffsetDateTime(), null, null,
                d == null ? null : d.fee(), d == null ? null : d.freeAbove(), d == null ? null : d.minOrder(),
                address, seats, null, null, lat, lng, 0, Map.of());
    }

    private static ZonedDateTime later(ZonedDateTime a, ZonedDateTime b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static ZonedDateTime ceilMinute(ZonedDateTime t) {
        ZonedDateTime m = t.truncatedTo(ChronoUnit.MINUTES);
        return m.equals(t) ? m : m.plusMinutes(1);
    }

    /** Rounded up to the next quarter hour (:00, :15, :30, :45). */
    private static ZonedDateTime ceilQuarter(ZonedDateTime t) {
        ZonedDateTime m = ceilMinute(t);
        int rem = m.getMinute() % 15;
        return rem == 0 ? m : m.plusMinutes(15 - rem);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
