package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.OrderSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check_order_status} (§6.4.7): the caller's own orders of the last 24 h. Any
 * {@code customer_phone} argument is ignored, so nobody can read another customer's orders. An order
 * without a number gets its 1-based position, remembered for {@code cancel_order}.
 */
public final class CheckOrderStatusTool implements Tool {
    public static final String NAME = "check_order_status";
    private static final Logger LOG = LoggerFactory.getLogger(CheckOrderStatusTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        if (ctx.anonymousCaller()) {
            return ToolOutcome.of(Replies.failure(ctx.messages(), "no_caller_number"));
        }
        List<OrderSummary> orders;
        try {
            orders = ctx.backend().recentOrders(ctx.restaurantId(), ctx.callerPhone());
        } catch (BackendException e) {
            LOG.warn("order status unavailable: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "status_unavailable"));
        }
        ZoneId zone = ctx.agent().timeZone();
        ObjectNode reply = Replies.success().put("found", !orders.isEmpty());
        ArrayNode list = reply.putArray("orders");
        Map<Integer, String> ids = new HashMap<>();
        int position = 0;
        for (OrderSummary o : orders) {
            position++;
            int number = o.orderNumber() != null ? o.orderNumber() : position;
            if (o.id() != null) {
                ids.put(number, o.id());
            }
            ObjectNode n = list.addObject();
            n.put("orderNumber", number).put("status", o.status()).put("orderType", o.orderType());
            if (o.total() != null) {
                n.put("total", o.total());
            }
            n.put("estimatedReadyAt", localTime(o.estimatedReadyAt(), zone));
            n.put("createdAt", localTime(o.createdAt(), zone));
            n.put("itemCount", o.itemCount()).put("itemsSummary", o.itemsSummary());
        }
        return ToolOutcome.of(reply, s -> s.orderNumbersSeen(ids));
    }

    private static String localTime(OffsetDateTime t, ZoneId zone) {
        return t == null ? null : t.atZoneSameInstant(zone).format(Replies.HH_MM);
    }
}
