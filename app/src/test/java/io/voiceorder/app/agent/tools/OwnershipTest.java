package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.AgentMessages;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.support.Rows;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** On the real embedded backend: callers see and cancel only their own orders and reservations (acceptance 21). */
class OwnershipTest {
    private static final Clock DINNER = Clock.fixed(Instant.parse("2026-11-24T18:00:00Z"), ZoneOffset.UTC);
    private static final String ALICE = "+33611111111";
    private static final String BOB = "+33622222222";

    /** One caller's view of the tools: their own state, their own number. */
    private static final class Caller {
        final RestaurantBackend backend;
        final AgentConfig agent;
        final String phone;
        final CallState state = new CallState(null);

        Caller(RestaurantBackend backend, String phone) throws Exception {
            this.backend = backend;
            this.phone = phone;
            this.agent = backend.loadAgent("da-marco", phone).orElseThrow();
        }

        ObjectNode run(String tool, String args) {
            ToolContext ctx = new ToolContext(agent, "da-marco", null, "CA-" + phone, phone, state.view(), backend,
                    AgentMessages.of("fr"), DINNER);
            ToolOutcome outcome = new Toolbox().find(tool).orElseThrow().run(ToolBench.parse(args), ctx);
            outcome.stateChange().accept(state);
            return outcome.result();
        }
    }

    @Test
    void anotherCallersOrderAndReservationCannotBeSeenOrCancelled() throws Exception {
        try (ServeHarness h = ServeHarness.start(Map.of(), CallTimings.standard(), FakeRealtimeServer.Options.defaults(), DINNER)) {
            Caller alice = new Caller(h.backend(), ALICE);
            Caller bob = new Caller(h.backend(), BOB);
            alice.run("check_availability", "{\"mode\":\"pickup\"}");
            ObjectNode order = alice.run("confirm_order", "{\"order_type\":\"pickup\",\"total\":6.5,\"items\":[{\"id\":10,\"quantity\":1}]}");
            assertThat(order.path("success").asBoolean()).as(order.toString()).isTrue();
            int number = order.path("order_number").asInt();
            alice.run("check_availability", "{\"mode\":\"reservation\",\"party_size\":2,\"requested_time\":\"20:00\"}");
            ObjectNode booking = alice.run("confirm_reservation", "{\"customer_name\":\"Alice\",\"party_size\":2,\"reservation_time\":\"20:00\"}");
            assertThat(booking.path("success").asBoolean()).as(booking.toString()).isTrue();

            ObjectNode bobStatus = bob.run("check_order_status", "{\"customer_phone\":\"" + ALICE + "\"}");
            assertThat(bobStatus.path("found").asBoolean()).isFalse();
            assertThat(bob.run("cancel_order", "{\"order_number\":" + number + "}").path("error").asText()).isEqualTo("order_not_found");
            assertThat(bob.run("lookup_reservation", "{\"customer_phone\":\"" + ALICE + "\"}").path("found").asBoolean()).isFalse();
            assertThat(bob.run("cancel_reservation", "{\"reservation_id\":\"" + booking.path("reservation_id").asText() + "\"}")
                    .path("error").asText()).isEqualTo("reservation_not_found");
            assertThat(Rows.query(h.backend(), "SELECT status FROM orders").get(0).get("status")).isEqualTo("pending");
            assertThat(Rows.query(h.backend(), "SELECT status FROM reservations").get(0).get("status")).isEqualTo("confirmed");

            assertThat(alice.run("check_order_status", "{}").at("/orders/0/orderNumber").asInt()).isEqualTo(number);
            assertThat(alice.run("cancel_order", "{\"order_number\":" + number + "}").path("success").asBoolean()).isTrue();
            assertThat(alice.run("cancel_reservation", "{\"reservation_id\":\"" + booking.path("reservation_id").asText() + "\"}")
                    .path("success").asBoolean()).isTrue();
            assertThat(Rows.query(h.backend(), "SELECT status FROM orders").get(0).get("status")).isEqualTo("cancelled");
        }
    }
}
