package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code cancel_reservation} (§6.4.10): only one of the caller's own upcoming reservations, looked up afresh. */
public final class CancelReservationTool implements Tool {
    public static final String NAME = "cancel_reservation";
    private static final Logger LOG = LoggerFactory.getLogger(CancelReservationTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        if (ctx.anonymousCaller()) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "no_caller_number"));
        }
        String id;
        try {
            id = new ToolArgs(arguments).requiredText("reservation_id", ToolArgs.DEFAULT_MAX_CHARS);
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        try {
            ctx.backend().cancelReservation(ctx.restaurantId(), ctx.callerPhone(), id);
        } catch (BackendException e) {
            if (e.kind() == BackendException.Kind.NOT_FOUND) {
                return ToolOutcome.of(Replies.failure(ctx.messages(), "reservation_not_found"));
            }
            LOG.warn("reservation not cancelled: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "cancel_failed"));
        }
        return ToolOutcome.of(Replies.success(ctx.messages(), "ok.cancel_reservation"));
    }
}
