package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** {@code log_new_faq} (§6.4.5): passes an unanswered question on; an unknown category is stored as {@code other}. */
public final class LogNewFaqTool implements Tool {
    public static final String NAME = "log_new_faq";
    static final List<String> CATEGORIES = List.of("horaires", "livraison", "allergens", "paiement", "parking",
            "reservation", "promotion", "ingredients", "localisation", "info_restau", "other");
    private static final Logger LOG = LoggerFactory.getLogger(LogNewFaqTool.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolContext ctx) {
        ToolArgs args = new ToolArgs(arguments);
        String question;
        String category;
        try {
            question = args.requiredText("question", 500);
            category = args.requiredText("category", ToolArgs.DEFAULT_MAX_CHARS);
        } catch (InvalidArgumentException e) {
            return ToolOutcome.of(Replies.invalid(ctx.messages(), e));
        }
        if (!CATEGORIES.contains(category)) {
            category = "other";
        }
        try {
            ctx.backend().logFaq(ctx.restaurantId(), question, category, ctx.anonymousCaller() ? null : ctx.callerPhone());
        } catch (BackendException e) {
            LOG.warn("FAQ question not saved: backend {} ({})", e.kind(), e.getMessage());
            return ToolOutcome.of(Replies.failure(ctx.messages(), "faq_not_saved"));
        }
        return ToolOutcome.of(Replies.success(ctx.messages(), "ok.log_new_faq"));
    }
}
