package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What the model is told for one call: instructions, language, voice and tools, plus the cues
 * serve sends at the moments it steers the conversation. Written in the call's language.
 *
 * @param voice null to use the configured default voice
 */
public record AgentProfile(
        String instructions,
        String language,
        String voice,
        List<JsonNode> tools,
        String openingCue,
        String goodbyeInstructions,
        String wrapUpCue,
        String dtmfCueFormat) {

    public AgentProfile {
        tools = List.copyOf(tools);
    }

    /** The DTMF cue for the digits the caller pressed. */
    public String dtmfCue(String digits) {
        return String.format(dtmfCueFormat, digits);
    }
}
