package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.OrderSummary;
import io.voiceorder.app.restaurant.ServiceMode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tools other than confirm_order: validation, backend failures reported as failures, the caller's own data only. */
class ToolsTest {
    private final ToolBench bench = new ToolBench();

    @Test
    void checkAvailabilityValidatesAndRemembersOnlyPositiveChecks() {
        assertThat(bench.run("check_availability", "{\"mode\":\"pickup\",\"requested_time\":\"25:00\"}").path("error").asText())
                .isEqualTo("invalid_time");
        assertThat(bench.run("check_availability", "{\"mode\":\"reservation\",\"party_size\":9}").path("error").asText())
                .isEqualTo("invalid_arguments");
        assertThat(bench.run("check_availability", "{\"mode\":\"brunch\"}").path("error").asText()).isEqualTo("invalid_arguments");
        assertThat(bench.backend.availabilityQueries).isEmpty();

        bench.backend.availability = q -> io.voiceorder.app.restaurant.AvailabilityResult.unavailable(q.mode(), "outside_delivery_zone");
        ObjectNode refused = bench.run("check_availability", "{\"mode\":\"delivery\",\"customer_address\":\"1 rue X\",\"customer_postal_code\":\"13001\"}");
        assertThat(refused.path("available").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).isEqualTo("outside_delivery_zone");
        assertThat(bench.state.view().checks()).isEmpty();

        bench.backend.availability = q -> ToolBench.available(q.mode(), "20:00");
        ObjectNode ok = bench.run("check_availability", "{\"mode\":\"pickup\",\"requested_time\":\"20:00\"}");
        assertThat(ok.path("available").asBoolean()).isTrue();
        assertThat(ok.path("estimatedTime").asText()).isEqualTo("20:00");
        assertThat(ok.path("estimatedTimeISO").asText()).startsWith("2026-11-24T20:00");
        assertThat(bench.state.view().checks()).containsKey(ServiceMode.PICKUP);
    }

    @Test
    void checkAvailabilityBackendDownIsAFailure() {
        bench.backend.fail("checkAvailability", BackendException.Kind.UNAVAILABLE);
        ObjectNode r = bench.run("check_availability", "{\"mode\":\"pickup\"}");
        assertThat(r.path("available").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).isEqualTo("availability_unavailable");
        assertThat(bench.state.view().checks()).isEmpty();
    }

    @Test
    void reservationNeedsACheckWithTheSameTimeAndPartySize() {
        bench.backend.availability = q -> ToolBench.available(q.mode(), "20:00");
        bench.run("check_availability", "{\"mode\":\"reservation\",\"party_size\":4,\"requested_time\":\"20:00\"}");
        assertThat(bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"20:30\"}")
                .path("error").asText()).isEqualTo("availability_not_checked");
        assertThat(bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":5,\"reservation_time\":\"20:00\"}")
                .path("error").asText()).isEqualTo("availability_not_checked");
        assertThat(bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"8pm\"}")
                .path("error").asText()).isEqualTo("invalid_time");
        assertThat(bench.backend.reservations).isEmpty();
        ObjectNode ok = bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"20:00\"}");
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(ok.path("heure").asText()).isEqualTo("20:00");
        assertThat(bench.backend.reservations.get(0).customerPhone()).isEqualTo(ToolBench.CALLER);
        ObjectNode again = bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"20:00\"}");
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(bench.backend.reservations).hasSize(1);
        assertThat(bench.state.reservationPlaced()).isTrue();
    }

    @Test
    void reservationCapacityGoneAndBackendDown() {
        bench.backend.availability = q -> ToolBench.available(q.mode(), "20:00");
        bench.run("check_availability", "{\"mode\":\"reservation\",\"party_size\":4,\"requested_time\":\"20:00\"}");
        bench.backend.fail("placeReservation", new BackendException(BackendException.Kind.NO_CAPACITY, "full",
                Map.of("seatsAvailable", 2), null));
        ObjectNode full = bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"20:00\"}");
        assertThat(full.path("error").asText()).isEqualTo("not_enough_seats");
        assertThat(full.path("seatsAvailable").asInt()).isEqualTo(2);
        bench.backend.fail("placeReservation", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("confirm_reservation", "{\"customer_name\":\"Durand\",\"party_size\":4,\"reservation_time\":\"20:00\"}")
                .path("error").asText()).isEqualTo("reservation_not_saved");
        assertThat(bench.state.reservationPlaced()).isFalse();
    }

    @Test
    void leaveMessageCountsOnlyWhenStored() {
        bench.backend.fail("leaveMessage", BackendException.Kind.UNAVAILABLE);
        ObjectNode failed = bench.run("leave_message", "{\"content\":\"Rappelez-moi\",\"category\":\"callback_request\"}");
        assertThat(failed.path("success").asBoolean()).isFalse();
        assertThat(failed.path("error").asText()).isEqualTo("message_not_saved");
        assertThat(bench.state.messageLeft()).isFalse();
        bench.backend.failures.clear();
        assertThat(bench.run("leave_message", "{\"content\":\"Rappelez-moi\",\"category\":\"bogus\"}").path("error").asText())
                .isEqualTo("invalid_arguments");
        assertThat(bench.run("leave_message", "{\"content\":\"" + "x".repeat(2001) + "\",\"category\":\"other\"}").path("error").asText())
                .isEqualTo("invalid_arguments");
        ObjectNode ok = bench.run("leave_message", "{\"content\":\"Rappelez-moi\",\"category\":\"callback_request\",\"is_urgent\":true,\"caller_name\":\"Léa\"}");
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(ok.path("message_id").asText()).isEqualTo("msg-1");
        assertThat(bench.backend.messages.get(0).urgent()).isTrue();
        assertThat(bench.backend.messages.get(0).callerPhone()).isEqualTo(ToolBench.CALLER);
        assertThat(bench.backend.messages.get(0).callId()).isEqualTo("call-1");
        assertThat(bench.state.messageLeft()).isTrue();
    }

    @Test
    void saveCustomerInfoUsesTheCallersNumberOnly() {
        ObjectNode ok = bench.run("save_customer_info", "{\"first_name\":\"Léa\",\"phone\":\"+33700000000\"}");
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(bench.backend.phonesAsked).containsExactly(ToolBench.CALLER);
        assertThat(bench.state.customer().firstName()).isEqualTo("Léa");
        assertThat(bench.run("save_customer_info", "{\"first_name\":\"  \"}").path("error").asText()).isEqualTo("invalid_arguments");
        bench.backend.fail("saveCustomer", BackendException.Kind.TIMEOUT);
        assertThat(bench.run("save_customer_info", "{\"first_name\":\"Léa\"}").path("error").asText()).isEqualTo("customer_not_saved");
        bench.caller = "";
        assertThat(bench.run("save_customer_info", "{\"first_name\":\"Léa\"}").path("error").asText()).isEqualTo("no_caller_number");
    }

    @Test
    void faqUnknownCategoryIsStoredAsOtherAndFailureIsReported() {
        assertThat(bench.run("log_new_faq", "{\"question\":\"Chiens acceptés ?\",\"category\":\"animaux\"}").path("success").asBoolean()).isTrue();
        assertThat(bench.run("log_new_faq", "{\"category\":\"other\"}").path("error").asText()).isEqualTo("invalid_arguments");
        bench.backend.fail("logFaq", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("log_new_faq", "{\"question\":\"Chiens acceptés ?\",\"category\":\"other\"}").path("error").asText())
                .isEqualTo("faq_not_saved");
    }

    @Test
    void orderStatusIgnoresAnyPhoneArgumentAndNumbersOrdersWithoutOne() {
        bench.backend.recent = List.of(
                new OrderSummary("o-9", null, "preparing", "delivery", new BigDecimal("23.50"),
                        OffsetDateTime.parse("2026-11-24T19:45:00+01:00"), OffsetDateTime.parse("2026-11-24T18:58:00+01:00"),
                        3, "2x Margherita, 1x Coca-Cola 33 cl"));
        ObjectNode r = bench.run("check_order_status", "{\"customer_phone\":\"+33711111111\"}");
        assertThat(bench.backend.phonesAsked).containsExactly(ToolBench.CALLER);
        assertThat(r.path("found").asBoolean()).isTrue();
        assertThat(r.at("/orders/0/orderNumber").asInt()).isEqualTo(1);
        assertThat(r.at("/orders/0/estimatedReadyAt").asText()).isEqualTo("19:45");
        assertThat(r.at("/orders/0/createdAt").asText()).isEqualTo("18:58");
        bench.run("cancel_order", "{\"order_number\":1}");
        assertThat(bench.backend.cancelledOrders.get(0).orderId()).isEqualTo("o-9");
        bench.backend.fail("recentOrders", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("check_order_status", "{}").path("error").asText()).isEqualTo("status_unavailable");
        bench.caller = "";
        assertThat(bench.run("check_order_status", "{}").path("error").asText()).isEqualTo("no_caller_number");
    }

    @Test
    void cancellationsOfSomeoneElsesOrderOrReservationAreRefused() {
        bench.backend.fail("cancelOrder", BackendException.Kind.NOT_FOUND);
        ObjectNode order = bench.run("cancel_order", "{\"order_number\":42}");
        assertThat(order.path("success").asBoolean()).isFalse();
        assertThat(order.path("error").asText()).isEqualTo("order_not_found");
        bench.backend.fail("cancelOrder", new BackendException(BackendException.Kind.NOT_ALLOWED, "late",
                Map.of("status", "preparing"), null));
        ObjectNode late = bench.run("cancel_order", "{\"order_number\":42}");
        assertThat(late.path("error").asText()).isEqualTo("order_not_cancellable");
        assertThat(late.path("status").asText()).isEqualTo("preparing");
        bench.backend.fail("cancelOrder", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("cancel_order", "{\"order_number\":42}").path("error").asText()).isEqualTo("cancel_failed");
        assertThat(bench.run("cancel_order", "{\"order_number\":\"forty\"}").path("error").asText()).isEqualTo("invalid_arguments");

        bench.backend.fail("cancelReservation", BackendException.Kind.NOT_FOUND);
        assertThat(bench.run("cancel_reservation", "{\"reservation_id\":\"9a1e\"}").path("error").asText())
                .isEqualTo("reservation_not_found");
        bench.backend.fail("cancelReservation", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("cancel_reservation", "{\"reservation_id\":\"9a1e\"}").path("error").asText()).isEqualTo("cancel_failed");
        bench.backend.failures.clear();
        assertThat(bench.run("cancel_reservation", "{\"reservation_id\":\"9a1e\"}").path("success").asBoolean()).isTrue();
        assertThat(bench.backend.phonesAsked).containsOnly(ToolBench.CALLER);
    }

    @Test
    void lookupReservationFailureAndAnonymousCaller() {
        bench.backend.fail("upcomingReservations", BackendException.Kind.UNAVAILABLE);
        assertThat(bench.run("lookup_reservation", "{}").path("error").asText()).isEqualTo("lookup_unavailable");
        bench.caller = "";
        assertThat(bench.run("lookup_reservation", "{}").path("error").asText()).isEqualTo("no_caller_number");
        assertThat(bench.run("cancel_reservation", "{\"reservation_id\":\"x\"}").path("error").asText()).isEqualTo("no_caller_number");
        assertThat(bench.run("cancel_order", "{\"order_number\":1}").path("error").asText()).isEqualTo("no_caller_number");
    }
}
