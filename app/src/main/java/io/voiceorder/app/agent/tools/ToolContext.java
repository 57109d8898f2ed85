package io.voiceorder.app.agent.tools;

import io.voiceorder.app.agent.AgentMessages;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.RestaurantBackend;

import java.time.Clock;
import java.time.ZonedDateTime;

/**
 * What a tool sees of its call: the agent snapshot taken at start, who is calling, the call state at
 * the moment the tool was started, the backend port, and the texts in the call's language.
 *
 * @param callRecordId the call record's id, or null while (or if) it could not be created
 * @param callerPhone  the caller's number in E.164, or "" for an anonymous caller
 */
public record ToolContext(AgentConfig agent, String restaurantId, String callRecordId, String callSid,
                          String callerPhone, CallState.View state, RestaurantBackend backend,
                          AgentMessages messages, Clock clock) {

    public boolean anonymousCaller() {
        return callerPhone == null || callerPhone.isEmpty();
    }

    /** The restaurant's wall-clock time now. */
    public ZonedDateTime localNow() {
        return ZonedDateTime.now(clock).withZoneSameInstant(agent.timeZone());
    }
}
