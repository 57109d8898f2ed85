package io.voiceorder.app.restaurant;

import io.voiceorder.app.restaurant.MenuIndex.MenuEntry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link RestaurantBackend} adapter passes (serve.md §7.1): run it by extending
 * this class with a fresh backend per test class. It names menu entries through the backend's own
 * index, so it works for any restaurant with at least one priced item and reservations.
 */
public abstract class RestaurantBackendContract {

    /** The adapter under test, with an empty store. */
    protected abstract RestaurantBackend backend();

    /** A restaurant the backend knows, offering pickup and reservations. */
    protected abstract String restaurantId();

    /** A reservation time the restaurant accepts for {@link #partyOf2()} at the backend's "now". */
    protected abstract LocalTime openReservationTime();

    /** The largest party the reservation capacity allows at {@link #openReservationTime()} when empty. */
    protected abstract int seatsAtOpenTime();

    protected int partyOf2() {
        return 2;
    }

    /** A fresh E.164 number per test, so tests do not see each other's data. */
    protected static String newPhone() {
        return "+3361" + String.format("%07d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 10_000_000L));
    }

    private AgentConfig agent(String phone) throws BackendException {
        return backend().loadAgent(restaurantId(), phone).orElseThrow();
    }

    private PricedOrder order(String phone, int quantity) throws BackendException {
        MenuEntry e = agent(phone).menu().entries().stream().filter(x -> x.kind() == MenuIndex.Kind.ITEM && x.available())
                .findFirst().orElseThrow();
        BigDecimal total = e.price().multiply(BigDecimal.valueOf(quantity));
        return new PricedOrder(restaurantId(), null, null, "Marie", phone, OrderType.PICKUP,
                List.of(new PricedOrder.PricedLine(e.id(), e.name(), quantity, e.price(), total,
                        List.of(new PricedOrder.SelectedOption("Taille", "Normale", BigDecimal.ZERO.setScale(2))), null)),
                total, BigDecimal.ZERO.setScale(2), total, "EUR", null, null, null, null, null, null, null, "cash", "sans oignons");
    }

    @Test
    void agentOfAKnownRestaurantHasANumberedPricedMenu() throws Exception {
        AgentConfig a = agent(null);
        assertThat(a.restaurantId()).isEqualTo(restaurantId());
        assertThat(a.menu().entries()).isNotEmpty();
        for (int i = 0; i < a.menu().entries().size(); i++) {
            assertThat(a.menu().entries().get(i).number()).isEqualTo(i + 1);
            assertThat(a.menu().entries().get(i).price()).isNotNull();
        }
        assertThat(a.instructions().forCall(false)).isNotBlank();
        assertThat(a.timeZone()).isNotNull();
        assertThat(a.transfer()).isNotNull();
    }

    @Test
    void unknownRestaurantHasNoAgent() throws Exception {
        assertThat(backend().loadAgent("no-such-restaurant-" + UUID.randomUUID(), null)).isEmpty();
    }

    @Test
    void ordersGetSequentialNumbersAndAreListedNewestFirstForTheirPhoneOnly() throws Exception {
        String phone = newPhone();
        PlacedOrder first = backend().placeOrder(order(phone, 2));
        PlacedOrder second = backend().placeOrder(order(phone, 1));
        assertThat(first.id()).isNotBlank();
        assertThat(second.orderNumber()).isEqualTo(first.orderNumber() + 1);

        List<OrderSummary> mine = backend().recentOrders(restaurantId(), phone);
        assertThat(mine).extracting(OrderSummary::id).containsExactly(second.id(), first.id());
        OrderSummary older = mine.get(1);
        assertThat(older.status()).isEqualTo("pending");
        assertThat(older.itemCount()).isEqualTo(2);
        assertThat(older.itemsSummary()).startsWith("2x ");
        assertThat(older.total()).isEqualByComparingTo(order(phone, 2).total());

        assertThat(backend().recentOrders(restaurantId(), newPhone())).isEmpty();
    }

    @Test
    void aCallerCancelsOnlyTheirOwnPendingOrder() throws Exception {
        String phone = newPhone();
        PlacedOrder placed = backend().placeOrder(order(phone, 1));

        assertThatThrownBy(() -> backend().cancelOrder(restaurantId(), newPhone(), new OrderRef(placed.id(), placed.orderNumber())))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
        assertThat(backend().recentOrders(restaurantId(), phone).get(0).status()).isEqualTo("pending");

        backend().cancelOrder(restaurantId(), phone, new OrderRef(null, placed.orderNumber()));
        assertThat(backend().recentOrders(restaurantId(), phone).get(0).status()).isEqualTo("cancelled");

        assertThatThrownBy(() -> backend().cancelOrder(restaurantId(), phone, new OrderRef(placed.id(), null)))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_ALLOWED);
                    assertThat(e.details()).containsEntry("status", "cancelled");
                });
    }

    @Test
    void reservationsAreCheckedBookedListedAndCancelledByTheirOwnerOnly() throws Exception {
        String phone = newPhone();
        AvailabilityResult check = backend().checkAvailability(restaurantId(), new AvailabilityQuery(ServiceMode.RESERVATION,
                openReservationTime(), null, null, null, partyOf2(), "window", null, null));
        assertThat(check.available()).as("reason %s", check.reason()).isTrue();
        assertThat(check.estimatedTimeIso()).isNotNull();

        PlacedReservation placed = backend().placeReservation(new ReservationRequest(restaurantId(), null, null, "Durand", phone,
                partyOf2(), check.estimatedTimeIso(), "window", "anniversaire", null, null));
        assertThat(placed.id()).isNotBlank();

        List<ReservationSummary> mine = backend().upcomingReservations(restaurantId(), phone);
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(placed.id());
            assertThat(r.partySize()).isEqualTo(partyOf2());
            assertThat(r.customerName()).isEqualTo("Durand");
            assertThat(r.reservationTime().toInstant()).isEqualTo(check.estimatedTimeIso().toInstant());
            assertThat(r.status()).isEqualTo("confirmed");
        });
        assertThat(backend().upcomingReservations(restaurantId(), newPhone())).isEmpty();

        assertThatThrownBy(() -> backend().cancelReservation(restaurantId(), newPhone(), placed.id()))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
        assertThat(backend().upcomingReservations(restaurantId(), phone)).hasSize(1);

        backend().cancelReservation(restaurantId(), phone, placed.id());
        assertThat(backend().upcomingReservations(restaurantId(), phone)).isEmpty();
        assertThatThrownBy(() -> backend().cancelReservation(restaurantId(), phone, UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
    }

    @Test
    void aReservationBeyondTheSeatsLeftIsRefusedWhenStored() throws Exception {
        AvailabilityResult check = backend().checkAvailability(restaurantId(), new AvailabilityQuery(ServiceMode.RESERVATION,
                openReservationTime(), null, null, null, partyOf2(), null, null, null));
        assertThat(check.available()).isTrue();
        int before = check.seatsAvailable();
        // Fill the room except one seat through parties of at most 2, then ask for 2 more.
        int toTake = before - 1;
        while (toTake > 0) {
            int party = Math.min(2, toTake);
            backend().placeReservation(new ReservationRequest(restaurantId(), null, null, "Groupe", newPhone(), party,
                    check.estimatedTimeIso(), null, null, null, null));
            toTake -= party;
        }
        assertThatThrownBy(() -> backend().placeReservation(new ReservationRequest(restaurantId(), null, null, "Tard", newPhone(),
                2, check.estimatedTimeIso(), null, null, null, null)))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.kind()).isEqualTo(BackendException.Kind.NO_CAPACITY);
                    assertThat(e.details()).containsEntry("seatsAvailable", 1);
                });
        AvailabilityResult after = backend().checkAvailability(restaurantId(), new AvailabilityQuery(ServiceMode.RESERVATION,
                openReservationTime(), null, null, null, 2, null, null, null));
        assertThat(after.available()).isFalse();
        assertThat(after.seatsAvailable()).isEqualTo(1);
        assertThat(after.reason()).isEqualTo("not_enough_seats_available_1_requested_2");
    }

    @Test
    void customersAreUpsertedByPhoneAndBlankFieldsKeepStoredValues() throws Exception {
        String phone = newPhone();
        Customer created = backend().saveCustomer(restaurantId(), phone,
                new CustomerUpdate("Marie", "3 rue Oberkampf", "Paris", "75011", "2e étage"));
        Customer updated = backend().saveCustomer(restaurantId(), phone, new CustomerUpdate(null, "", null, null, null));
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(updated.firstName()).isEqualTo("Marie");
        assertThat(updated.deliveryAddress()).isEqualTo("3 rue Oberkampf");

        Customer moved = backend().saveCustomer(restaurantId(), phone, new CustomerUpdate("Marie-Anne", "8 rue de Lappe", null, null, null));
        assertThat(moved.firstName()).isEqualTo("Marie-Anne");
        assertThat(moved.deliveryAddress()).isEqualTo("8 rue de Lappe");

        AgentConfig a = agent(phone);
        assertThat(a.customer()).isNotNull();
        assertThat(a.customer().id()).isEqualTo(created.id());
        assertThat(a.customer().firstName()).isEqualTo("Marie-Anne");
        assertThat(agent(newPhone()).customer()).isNull();
    }

    @Test
    void anOrderCountsInTheCustomersStats() throws Exception {
        String phone = newPhone();
        backend().saveCustomer(restaurantId(), phone, new CustomerUpdate("Paul", null, null, null, null));
        backend().placeOrder(order(phone, 1));
        backend().placeOrder(order(phone, 1));
        assertThat(agent(phone).customer().totalOrders()).isEqualTo(2);
    }

    @Test
    void messagesAndQuestionsAreStored() throws Exception {
        String id = backend().leaveMessage(new StaffMessage(restaurantId(), null, newPhone(), "Luc", "Rappelez-moi pour un traiteur",
                "callback_request", true));
        assertThat(id).isNotBlank();
        String phone = newPhone();
        backend().logFaq(restaurantId(), "Faites-vous des gâteaux d'anniversaire ?", "other", phone);
        backend().logFaq(restaurantId(), "faites vous des GATEAUX d'anniversaire", "other", phone);
    }

    @Test
    void callRecordsAreCreatedInProgressThenFinalized() throws Exception {
        String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
        Instant start = Instant.parse("2026-11-24T17:58:00Z");
        String id = backend().startCall(new CallStart(restaurantId(), sid, "MZ1", "twilio", "inbound", newPhone(), "+33972360682",
                null, start));
        assertThat(id).isNotBlank();
        backend().finishCall(new CallRecord(id, restaurantId(), sid, "MZ1", "twilio", "inbound", null, "+33972360682", null,
                start, start.plusSeconds(95), 95, "order_placed", "agent_end_call",
                List.of(new CallRecord.TranscriptLine("assistant", "Bonjour", start, null, null),
                        new CallRecord.TranscriptLine("user", "Une margherita", start.plusSeconds(3), null, null)),
                1200, 800, 900, 700, 100, new BigDecimal("0.0712"), new BigDecimal("0.0127"), BigDecimal.ZERO, "EUR",
                "gpt-realtime", 0, 1, "+33612345678", "requested"));
        backend().updateTransferStatus(sid, "completed");
        assertThatThrownBy(() -> backend().updateTransferStatus("CA-unknown-" + UUID.randomUUID(), "completed"))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
    }

    @Test
    void aRecordWhoseStartFailedIsStillWrittenAtFinalize() throws Exception {
        Instant start = Instant.parse("2026-11-24T18:00:00Z");
        backend().finishCall(new CallRecord(null, restaurantId(), "CA" + UUID.randomUUID(), "MZ2", "bridge", "inbound", null, null,
                null, start, start.plusSeconds(5), 5, "abandoned", "caller_hangup", List.of(), 0, 0, 0, 0, 0,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, "USD", null, 0, 0, null, null));
    }

    @Test
    void healthNamesTheBackendAndItsRestaurant() {
        BackendHealth h = backend().health();
        assertThat(h.ok()).isTrue();
        assertThat(h.databaseDown()).isFalse();
        assertThat(h.restaurants()).contains(restaurantId());
        assertThat(backend().defaultRestaurantId()).isEqualTo(Optional.of(restaurantId()));
    }

    @Test
    void anUnblockedNumberIsNotBlocked() throws Exception {
        assertThat(backend().isBlocked(restaurantId(), newPhone())).isFalse();
    }

}
