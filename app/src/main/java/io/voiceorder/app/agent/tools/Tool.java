package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One function the model can call (serve.md §6.4). A tool runs on the backend worker pool, never on
 * the call's executor: it reads the call through the immutable {@link ToolContext}, may block on the
 * restaurant backend, and returns its result with the change to apply to the call's state.
 * It never throws for a backend failure: every failure is a result the model can act on.
 */
public interface Tool {

    String name();

    /**
     * @param arguments the parsed {@code arguments} object (empty object when the model sent none)
     */
    ToolOutcome run(JsonNode arguments, ToolContext context);
}
