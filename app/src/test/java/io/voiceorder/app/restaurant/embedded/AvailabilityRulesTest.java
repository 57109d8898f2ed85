package io.voiceorder.app.restaurant.embedded;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.AvailabilityQuery;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.ServiceMode;
import io.voiceorder.app.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** serve.md §7.2.4 on the sample restaurant (Europe/Paris, UTC+1 in November). */
class AvailabilityRulesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.EPOCH);
    private final AvailabilityRules rules = new AvailabilityRules(clock);
    private final AtomicReference<OffsetDateTime[]> seatsAsked = new AtomicReference<>();
    private int seatsTaken;

    private RestaurantDefinition sample() throws Exception {
        return RestaurantFileReader.read(RestaurantFiles.write(dir, "r.yaml", RestaurantFiles.sample()));
    }

    private RestaurantDefinition sampleWith(String path, com.fasterxml.jackson.databind.JsonNode value) throws Exception {
        ObjectNode root = RestaurantFiles.set(RestaurantFiles.sample(), path, value);
        return RestaurantFileReader.read(RestaurantFiles.write(dir, "r.yaml", root));
    }

    private AvailabilityResult check(RestaurantDefinition r, String parisTime, AvailabilityQuery q) throws Exception {
        clock.set(OffsetDateTime.parse(parisTime + "+01:00").toInstant());
        return rules.check(r, q, (id, start, end) -> {
            seatsAsked.set(new OffsetDateTime[] {start, end});
            return seatsTaken;
        });
    }

    private static AvailabilityQuery pickup(LocalTime t) {
        return AvailabilityQuery.of(ServiceMode.PICKUP, t);
    }

    private static AvailabilityQuery delivery(String address, String postal, LocalTime t) {
        return new AvailabilityQuery(ServiceMode.DELIVERY, t, address, "Paris", postal, null, null, null, null);
    }

    private static AvailabilityQuery reservation(LocalTime t, Integer party) {
        return new AvailabilityQuery(ServiceMode.RESERVATION, t, null, null, null, party, null, null, null);
    }

    @Test
    void pickupIsReadyAfterThePreparationTimeOrAtTheRequestedTime() throws Exception {
        AvailabilityResult asap = check(sample(), "2026-11-24T19:00:00", pickup(null));
        assertThat(asap.available()).isTrue();
        assertThat(asap.estimatedTime()).isEqualTo("19:20");
        assertThat(asap.estimatedTimeIso()).isEqualTo(OffsetDateTime.parse("2026-11-24T19:20+01:00"));
        assertThat(asap.estimatedTimeIso().getOffset().getTotalSeconds()).isEqualTo(3600);

        assertThat(check(sample(), "2026-11-24T19:00:00", pickup(LocalTime.of(20, 30))).estimatedTime()).isEqualTo("20:30");
        // Asked for earlier than the kitchen can do: the preparation time wins.
        assertThat(check(sample(), "2026-11-24T19:00:00", pickup(LocalTime.of(19, 5))).estimatedTime()).isEqualTo("19:20");
    }

    @Test
    void aClosedDayAnswersClosedWithTheNextOpening() throws Exception {
        AvailabilityResult monday = check(sample(), "2026-11-23T12:00:00", pickup(null));
        assertThat(monday.available()).isFalse();
        assertThat(monday.reason()).isEqualTo("closed");
        assertThat(monday.nextOpening()).isEqualTo("2026-11-24T11:30+01:00");

        AvailabilityResult afternoon = check(sample(), "2026-11-24T15:00:00", pickup(null));
        assertThat(afternoon.reason()).isEqualTo("closed");
        assertThat(afternoon.nextOpening()).isEqualTo("2026-11-24T18:30+01:00");
    }

    @Test
    void aRangeClosingAfterMidnightCoversTheNextDaysEarlyHours() throws Exception {
        // Saturday 18:30–00:30.
        AvailabilityResult late = check(sample(), "2026-11-28T23:50:00", pickup(null));
        assertThat(late.available()).isTrue();
        assertThat(late.estimatedTime()).isEqualTo("00:10");
        assertThat(late.estimatedTimeIso()).isEqualTo(OffsetDateTime.parse("2026-11-29T00:10+01:00"));

        AvailabilityResult tooLate = check(sample(), "2026-11-29T00:15:00", pickup(null));
        assertThat(tooLate.reason()).isEqualTo("closed");
        assertThat(tooLate.nextOpening()).isEqualTo("2026-11-29T18:00+01:00");
    }

    @Test
    void aRequestedTimeAlreadyPastMeansTomorrow() throws Exception {
        AvailabilityResult r = check(sample(), "2026-11-24T21:00:00", pickup(LocalTime.of(12, 0)));
        assertThat(r.available()).isTrue();
        assertThat(r.estimatedTimeIso()).isEqualTo(OffsetDateTime.parse("2026-11-25T12:00+01:00"));
    }

    @Test
    void nowIsTheRestaurantsWallClockInItsOwnZone() throws Exception {
        RestaurantDefinition ny = sampleWith("restaurant.timezone", F.textNode("America/New_York"));
        // 19:00 in Paris is 13:00 in New York (UTC-5): lunch service, and the offset is New York's.
        AvailabilityResult r = check(ny, "2026-11-24T19:00:00", pickup(null));
        assertThat(r.available()).isTrue();
        assertThat(r.estimatedTime()).isEqualTo("13:20");
        assertThat(r.estimatedTimeIso()).isEqualTo(OffsetDateTime.parse("2026-11-24T13:20-05:00"));
    }

    @Test
    void deliveryNeedsAnAddressInsideTheZone() throws Exception {
        RestaurantDefinition r = sample();
        assertThat(check(r, "2026-11-24T19:00:00", delivery(" ", "75011", null)).reason()).isEqualTo("customer_address_required");
        assertThat(check(r, "2026-11-24T19:00:00", delivery("3 rue Oberkampf", null, null)).reason()).isEqualTo("postal_code_required");
        assertThat(check(r, "2026-11-24T19:00:00", delivery("3 rue de Rivoli", "75001", null)).reason()).isEqualTo("outside_delivery_zone");

        AvailabilityResult ok = check(r, "2026-11-24T19:00:00", delivery("3 rue Oberkampf", "75011", null));
        assertThat(ok.available()).isTrue();
        assertThat(ok.estimatedTime()).isEqualTo("19:40");
        assertThat(ok.deliveryFee()).isEqualByComparingTo("2.50");
        assertThat(ok.freeAbove()).isEqualByComparingTo("30.00");
        assertThat(ok.minOrder()).isEqualByComparingTo("15.00");
        assertThat(ok.customerAddressFormatted()).isEqualTo("3 rue Oberkampf, 75011 Paris");

        assertThat(check(r, "2026-11-24T22:20:00", delivery("3 rue Oberkampf", "75011", null)).reason()).isEqualTo("closed");
    }

    @Test
    void deliveryAndReservationsMustBeOffered() throws Exception {
        RestaurantDefinition r = sampleWith("restaurant.services", F.objectNode().put("pickup", true));
        assertThat(check(r, "2026-11-24T19:00:00", delivery("3 rue Oberkampf", "75011", null)).reason()).isEqualTo("delivery_not_enabled");
        assertThat(check(r, "2026-11-24T19:00:00", reservation(LocalTime.of(20, 0), 2)).reason()).isEqualTo("reservation_not_enabled");
    }

    @Test
    void reservationsRespectAdvanceLimitsHoursAndPartySize() throws Exception {
        RestaurantDefinition r = sample();
        assertThat(check(r, "2026-11-24T19:00:00", reservation(LocalTime.of(20, 0), null)).reason()).isEqualTo("party_size_required");
        assertThat(check(r, "2026-11-24T19:00:00", reservation(LocalTime.of(19, 10), 2)).reason()).isEqualTo("reservation_too_soon_min_30min");
        assertThat(check(r, "2026-11-24T19:00:00", reservation(LocalTime.of(16, 0), 2)).reason()).isEqualTo("closed");
        assertThat(check(r, "2026-11-24T19:00:00", reservation(LocalTime.of(20, 0), 9)).reason()).isEqualTo("party_too_large_max_8");

        RestaurantDefinition sameDayOnly = sampleWith("restaurant.reservations.max_advance_days", F.numberNode(0));
        // 12:00 is past, so it means tomorrow: beyond 0 days ahead.
        assertThat(check(sameDayOnly, "2026-11-24T19:00:00", reservation(LocalTime.of(12, 0), 2)).reason())
                .isEqualTo("reservation_too_far_max_0days");
    }

    @Test
    void withoutATimeAReservationIsTheMinimumAdvanceRoundedUpToAQuarter() throws Exception {
        AvailabilityResult r = check(sample(), "2026-11-24T19:07:00", reservation(null, 4));
        assertThat(r.available()).isTrue();
        assertThat(r.estimatedTime()).isEqualTo("19:45");
        assertThat(r.seatsAvailable()).isEqualTo(32);
    }

    @Test
    void seatsAreCountedOverTheMealDuration() throws Exception {
        seatsTaken = 30;
        AvailabilityResult r = check(sample(), "2026-11-24T19:00:00", reservation(LocalTime.of(20, 0), 4));
        assertThat(r.available()).isFalse();
        assertThat(r.reason()).isEqualTo("not_enough_seats_available_2_requested_4");
        assertThat(r.seatsAvailable()).isEqualTo(2);
        assertThat(seatsAsked.get()[0]).isEqualTo(OffsetDateTime.parse("2026-11-24T20:00+01:00"));
        assertThat(seatsAsked.get()[1]).isEqualTo(OffsetDateTime.parse("2026-11-24T21:30+01:00"));

        seatsTaken = 28;
        AvailabilityResult fits = check(sample(), "2026-11-24T19:00:00", reservation(LocalTime.of(20, 0), 4));
        assertThat(fits.available()).isTrue();
        assertThat(fits.seatsAvailable()).isEqualTo(4);
    }
}
