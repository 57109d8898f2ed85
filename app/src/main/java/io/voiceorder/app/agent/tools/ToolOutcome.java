package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.CallState;

import java.util.function.Consumer;

/**
 * A tool's result for the model (the {@code function_call_output}) and what it changes in the call's
 * state, applied on the call's executor once the tool is done.
 *
 * @param success whether the tool did what it was asked (metrics {@code result} label)
 */
public record ToolOutcome(ObjectNode result, boolean success, Consumer<CallState> stateChange) {

    private static final Consumer<CallState> NOTHING = s -> { };

    public static ToolOutcome of(ObjectNode result) {
        return new ToolOutcome(result, result.path("success").asBoolean(false), NOTHING);
    }

    public static ToolOutcome of(ObjectNode result, Consumer<CallState> change) {
        return new ToolOutcome(result, result.path("success").asBoolean(false), change);
    }

    /** The error code of a failure, or {@code success}. */
    public String code() {
        return success ? "success" : result.path("error").asText(result.path("reason").asText("failure"));
    }
}
