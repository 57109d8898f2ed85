package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.StaffMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code leave_message} (§6.4.6): stored with the call id and the caller's number. Only a stored
 * message counts as {@code message_left}.
 */
public final class LeaveMessageTool implements Tool {
    public static final String NAME = "leave_message";
    static final List<String> CATEGORIES = List.of("callback_request", "complaint", "info_request", "special_request", "other");
    private static final Logger LOG = LoggerFactory.getLogger(LeaveMessageTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        ToolArgs args = new ToolArgs(arguments);
        StaffMessage message;
        try {
            message = new StaffMessage(ctx.restaurantId(), ctx.callRecordId(),
                    ctx.anonymousCaller() ? null : ctx.callerPhone(),
                    args.optionalText("caller_name", 100),
                    args.requiredText("content", 2000),
                    args.requiredEnum("category", CATEGORIES),
                    args.optionalBoolean("is_urgent", false));
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        String id;
        try {
            id = ctx.backend().leaveMessage(message);
        } catch (BackendException e) {
            LOG.warn("message not saved: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "message_not_saved"));
        }
        return ToolOutcome.of(Replies.success().put("message_id", id).put("message", ctx.messages().get("ok.leave_message")),
                s -> s.messageLeft(id));
    }
}
