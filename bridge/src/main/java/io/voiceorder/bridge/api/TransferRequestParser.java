package io.voiceorder.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.bridge.call.transfer.TransferRequest;

/**
 * The body of {@code POST /api/calls/{sid}/transfer} (bridge.md §3.5): {@code destination} (required),
 * {@code timeoutSec}/{@code timeout_sec} (5–120, default 30), {@code wait} (default true); unknown fields ignored.
 */
final class TransferRequestParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferRequestParser() {
    }

    static TransferRequest parse(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw OutboundRequestParser.bad("The body must be a JSON object.");
        }
        if (node == null || !node.isObject()) {
            throw OutboundRequestParser.bad("The body must be a JSON object.");
        }
        JsonNode d = node.get("destination");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            throw OutboundRequestParser.bad("'destination' is required: a sip: or tel: URI, a number or a device user.");
        }
        int timeout = TransferRequest.DEFAULT_TIMEOUT_SEC;
        JsonNode t = node.has("timeoutSec") ? node.get("timeoutSec") : node.get("timeout_sec");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || t.asInt() < 5 || t.asInt() > 120) {
                throw OutboundRequestParser.bad("'timeoutSec' must be a whole number of seconds between 5 and 120.");
            }
            timeout = t.asInt();
        }
        boolean wait = true;
        JsonNode w = node.get("wait");
        if (w != null && !w.isNull()) {
            if (!w.isBoolean()) {
                throw OutboundRequestParser.bad("'wait' must be true or false.");
            }
            wait = w.asBoolean();
        }
        return new TransferRequest(d.asText(), timeout, wait);
    }
}
