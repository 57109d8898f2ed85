package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.OrderRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cancel_order} (§6.4.8): only one of the caller's own orders of the last 24 h, looked up
 * afresh by the backend, and only while pending or confirmed.
 */
public final class CancelOrderTool implements Tool {
    public static final String NAME = "cancel_order";
    private static final Logger LOG = LoggerFactory.getLogger(CancelOrderTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        if (ctx.anonymousCaller()) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "no_caller_number"));
        }
        int number;
        try {
            number = new ToolArgs(arguments).requiredInt("order_number");
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        OrderRef ref = new OrderRef(ctx.state().orderIdsByNumber().get(number), number);
        try {
            ctx.backend().cancelOrder(ctx.restaurantId(), ctx.callerPhone(), ref);
        } catch (BackendException e) {
            return switch (e.kind()) {
                case NOT_FOUND -> ToolOutcome.of(Replies.failure(ctx.messages(), "order_not_found", number));
                case NOT_ALLOWED -> {
                    String status = String.valueOf(e.details().getOrDefault("status", "unknown"));
                    yield ToolOutcome.of(Replies.failure(ctx.messages(), "order_not_cancellable", status).put("status", status));
                }
                default -> {
                    LOG.warn("order not cancelled: backend {} ({})", e.kind(), e.getMessage());
                    yield ToolOutcome.of(Replies.failure(ctx.messages(), "cancel_failed"));
                }
            };
        }
        LOG.info("order {} cancelled at the caller's request", number);
        return ToolOutcome.of(Replies.success(ctx.messages(), "ok.cancel_order", number));
    }
}
