package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who and what a call is, read from the stream's {@code start}. Only the {@code callSid} custom
 * parameter (put there by serve's own TwiML) tells a Twilio call from a bridge call.
 *
 * @param mode {@code twilio} or {@code bridge}
 * @param direction {@code inbound} or {@code outbound}
 */
public record CallIdentity(
        String streamSid,
        String callSid,
        String mode,
        String direction,
        String callerPhone,
        String calledNumber,
        String restaurantId) {

    static CallIdentity from(JsonNode startMessage, String defaultRestaurant) {
        JsonNode start = startMessage.path("start");
        String streamSid = text(startMessage.path("streamSid"), text(start.path("streamSid"), ""));
        JsonNode params = start.path("customParameters");
        String paramCallSid = text(params.path("callSid"), "");
        boolean twilio = !paramCallSid.isEmpty();
        String callSid = text(start.path("callSid"), twilio ? paramCallSid : streamSid);
        String direction = "outbound".equals(text(params.path("direction"), "")) ? "outbound" : "inbound";
        return new CallIdentity(
                streamSid,
                callSid.isEmpty() ? "unknown" : callSid,
                twilio ? "twilio" : "bridge",
                direction,
                text(params.path("callerPhone"), ""),
                text(params.path("to"), ""),
                text(params.path("restaurantId"), defaultRestaurant));
    }

    private static String text(JsonNode node, String fallback) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : fallback;
    }
}
