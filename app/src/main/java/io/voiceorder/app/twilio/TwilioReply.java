package io.voiceorder.app.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One answer of the Twilio REST API.
 *
 * @param status HTTP status
 * @param body parsed JSON body, {@link MissingNode} when there was none or it was not JSON
 */
public record TwilioReply(int status, JsonNode body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Twilio's own error code ({@code 20404} "resource not found"), 0 when the body has none. */
    public int errorCode() {
        return body.path("code").asInt(0);
    }

    /** A text field of the body, {@code ""} when absent. */
    public String text(String field) {
        JsonNode n = body.path(field);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }
}
