package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.AgentMessages;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeFormatter;

/**
 * Builds tool results (§6.2): {@code "success": true} plus data, or {@code "success": false} with an
 * {@code error} code and a {@code message} from the call's bundle. Never an exception text, URL or
 * HTTP status.
 */
final class Replies {
    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private Replies() {
    }

    static ObjectNode success() {
        return JsonNodeFactory.instance.objectNode().put("success", true);
    }

    static ObjectNode success(AgentMessages messages, String key, Object... args) {
        return success().put("message", messages.get(key, args));
    }

    /** A failure whose message is the bundle text {@code error.<code>}. */
    static ObjectNode failure(AgentMessages messages, String code, Object... args) {
        return JsonNodeFactory.instance.objectNode()
                .put("success", false)
                .put("error", code)
                .put("message", messages.get("error." + code, args));
    }

    static ObjectNode invalid(AgentMessages messages, InvalidArgumentException e) {
        if ("invalid_time".equals(e.code())) {
            return failure(messages, "invalid_time").put("field", e.field());
        }
        return failure(messages, "invalid_arguments", e.getMessage()).put("field", e.field());
    }

    /** Money with 2 decimals, half-up (§6.3). */
    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** Spoken amount, e.g. {@code 23,50 EUR} in French, {@code 23.50 EUR} otherwise. */
    static String spokenAmount(BigDecimal amount, String currency, String language) {
        String n = money(amount).toPlainString();
        return ("fr".equals(language) ? n.replace('.', ',') : n) + " " + currency;
    }
}
