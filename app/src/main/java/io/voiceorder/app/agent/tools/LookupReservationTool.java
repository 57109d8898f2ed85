package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.ReservationSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** {@code lookup_reservation} (§6.4.9): the caller's own upcoming reservations; {@code customer_phone} is ignored. */
public final class LookupReservationTool implements Tool {
    public static final String NAME = "lookup_reservation";
    private static final Logger LOG = LoggerFactory.getLogger(LookupReservationTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        if (ctx.anonymousCaller()) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "no_caller_number"));
        }
        List<ReservationSummary> found;
        try {
            found = ctx.backend().upcomingReservations(ctx.restaurantId(), ctx.callerPhone());
        } catch (BackendException e) {
            LOG.warn("reservations unavailable: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "lookup_unavailable"));
        }
        ObjectNode reply = Replies.success().put("found", !found.isEmpty());
        ArrayNode list = reply.putArray("reservations");
        for (ReservationSummary r : found) {
            ObjectNode n = list.addObject();
            n.put("id", r.id()).put("customerName", r.customerName()).put("partySize", r.partySize());
            if (r.reservationTime() != null) {
                var local = r.reservationTime().atZoneSameInstant(ctx.agent().timeZone());
                n.put("reservationTime", local.toOffsetDateTime().toString()).put("time", local.format(Replies.HH_MM));
            }
            n.put("status", r.status()).put("seatingPreference", r.seatingPreference())
                    .put("notes", r.notes() == null ? "" : r.notes());
        }
        return ToolOutcome.of(reply);
    }
}
