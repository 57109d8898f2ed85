package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.agent.PhoneNumbers;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.PlacedReservation;
import io.voiceorder.app.restaurant.ReservationRequest;
import io.voiceorder.app.restaurant.ServiceMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.LocalTime;

/**
 * {@code confirm_reservation} (§6.4.3): only for the time and party size a reservation check of this
 * call returned (at most 15 minutes old); the backend re-checks the seats as it stores.
 */
public final class ConfirmReservationTool implements Tool {
    public static final String NAME = "confirm_reservation";
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmReservationTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        ToolArgs args = new ToolArgs(arguments);
        String name;
        String phone;
        int party;
        LocalTime time;
        String seating;
        String notes;
        String serviceId;
        String offerId;
        try {
            time = args.requiredTime("reservation_time");
            name = args.requiredText("customer_name", 100);
            phone = args.optionalText("customer_phone", 40);
            party = args.requiredInt("party_size");
            if (party < 1) {
                throw new InvalidArgumentException("invalid_arguments", "party_size", "at least 1");
            }
            seating = args.optionalEnum("seating_preference", CheckAvailabilityTool.SEATING);
            notes = args.optionalText("notes", 500);
            serviceId = args.optionalText("service_id", ToolArgs.DEFAULT_MAX_CHARS);
            offerId = args.optionalText("offer_id", ToolArgs.DEFAULT_MAX_CHARS);
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        String hhmm = time.format(Replies.HH_MM);
        CallState.AvailabilityCheck check = ctx.state().checks().get(ServiceMode.RESERVATION);
        boolean fresh = check != null
                && Duration.between(check.at(), ctx.clock().instant()).compareTo(ConfirmOrderTool.CHECK_VALIDITY) <= 0;
        AvailabilityResult r = fresh ? check.result() : null;
        if (r == null || check.partySize() == null || check.partySize() != party || !hhmm.equals(r.estimatedTime())
                || r.estimatedTimeIso() == null) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "availability_not_checked", "reservation")
                    .put("mode", "reservation"));
        }
        for (CallState.ReservationPlaced placed : ctx.state().reservations()) {
            if (placed.time().equals(hhmm) && placed.partySize() == party) {
                ObjectNode again = (ObjectNode) Json.parse(placed.replyJson());
                again.put("duplicate", true);
                return ToolOutcome.of(again);
            }
        }
        String contact = phone != null ? PhoneNumbers.normalize(phone, ctx.agent().country())
                : ctx.anonymousCaller() ? null : ctx.callerPhone();
        ReservationRequest request = new ReservationRequest(ctx.restaurantId(), ctx.callRecordId(),
                ctx.state().customer().id(), name, contact, party, r.estimatedTimeIso(), seating, notes, serviceId, offerId);
        PlacedReservation placed;
        try {
            placed = ctx.backend().placeReservation(request);
        } catch (BackendException e) {
            if (e.kind() == BackendException.Kind.NO_CAPACITY) {
                ObjectNode reply = Replies.failure(ctx.messages(), "not_enough_seats");
                Object seats = e.details().get("seatsAvailable");
                if (seats instanceof Number n) {
                    reply.put("seatsAvailable", n.intValue());
                }
                return ToolOutcome.of(reply);
            }
            LOG.warn("reservation not stored: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "reservation_not_saved"));
        }
        ObjectNode reply = Replies.success()
                .put("reservation_id", placed.id())
                .put("heure", hhmm)
                .put("message", ctx.messages().get("ok.confirm_reservation", party, hhmm));
        String json = reply.toString();
        CallState.ReservationPlaced done = new CallState.ReservationPlaced(placed.id(), hhmm, party, ctx.clock().instant(), json);
        return ToolOutcome.of(reply, s -> s.reservationPlaced(done));
    }
}
