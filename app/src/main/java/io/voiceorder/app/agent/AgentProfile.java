package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.PromptText;

import java.util.List;
import java.util.Set;

/**
 * What the model is told for one call: instructions (with serve's rules block), language, voice,
 * the tools offered, the opening cue, and the texts of the other cues in the call's language.
 *
 * <p>The prompt's large pieces and the tool schemas are shared with the restaurant's other calls
 * (never modified); a profile only holds what is particular to its call.
 *
 * @param config  the restaurant's agent snapshot, or null for the fallback agent
 * @param prompt  the instructions, as pieces
 * @param voice   null to use the configured default voice
 * @param offered names of the tools offered on this call
 */
public record AgentProfile(
        AgentConfig config,
        PromptText prompt,
        String language,
        String voice,
        List<JsonNode> tools,
        Set<String> offered,
        String openingCue,
        AgentMessages messages) {

    public AgentProfile {
        tools = List.copyOf(tools);
        offered = Set.copyOf(offered);
    }

    /** The instructions as one string, built anew for each use (the session.update being sent). */
    public String instructions() {
        return prompt.text();
    }

    public boolean isFallback() {
        return config == null;
    }

    public boolean offers(String tool) {
        return offered.contains(tool);
    }

    public String goodbyeInstructions() {
        return messages.get("cue.goodbye");
    }

    public String wrapUpCue() {
        return messages.get("cue.wrap_up");
    }

    /** The DTMF cue for the digits the caller pressed. */
    public String dtmfCue(String digits) {
        return messages.get("cue.dtmf", digits);
    }

    public String transferFailedCue() {
        return messages.get("cue.transfer_failed");
    }
}
