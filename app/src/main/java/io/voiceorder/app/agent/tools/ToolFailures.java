package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.AgentMessages;

import java.util.Map;

/**
 * The failure a tool reports when it could not finish at all (timed out, or no worker to run it):
 * its own "backend failed" code, so the model hears a failure it can act on. An order that timed out
 * may still have been stored, so it is {@code order_status_unknown}, never {@code order_not_saved}.
 */
public final class ToolFailures {
    private static final Map<String, String> CODES = Map.of(
            CheckAvailabilityTool.NAME, "availability_unavailable",
            ConfirmOrderTool.NAME, "order_status_unknown",
            ConfirmReservationTool.NAME, "reservation_not_saved",
            SaveCustomerInfoTool.NAME, "customer_not_saved",
            LogNewFaqTool.NAME, "faq_not_saved",
            LeaveMessageTool.NAME, "message_not_saved",
            CheckOrderStatusTool.NAME, "status_unavailable",
            CancelOrderTool.NAME, "cancel_failed",
            LookupReservationTool.NAME, "lookup_unavailable",
            CancelReservationTool.NAME, "cancel_failed");

    private ToolFailures() {
    }

    public static ObjectNode forTool(String tool, AgentMessages messages) {
        ObjectNode r = Replies.failure(messages, CODES.getOrDefault(tool, "unknown_function"), tool);
        if (CheckAvailabilityTool.NAME.equals(tool)) {
            r.put("available", false);
        }
        return r;
    }
}
