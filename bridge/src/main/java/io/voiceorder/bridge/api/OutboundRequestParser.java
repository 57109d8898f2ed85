package io.voiceorder.bridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpStatus;
import io.voiceorder.bridge.call.OutboundCallRequest;
import io.voiceorder.bridge.config.BridgeConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates a {@code POST /api/calls} body (bridge.md §3.4): camelCase or snake_case names, unknown fields ignored. */
final class OutboundRequestParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    static final Pattern DIGITS = Pattern.compile("[0-9*#A-Dw]{0,64}");

    private OutboundRequestParser() {
    }

    static OutboundCallRequest parse(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw bad("The body must be a JSON object.");
        }
        if (node == null || !node.isObject()) {
            throw bad("The body must be a JSON object.");
        }
        String to = text(node, "to", "to").orElseThrow(() -> bad("'to' is required: an E.164 number, a national number or a sip: URI."));
        to = to.strip();
        if (to.length() > 256) {
            throw bad("'to' is longer than 256 characters.");
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode custom = field(node, "customParams", "custom_params");
        if (custom != null && !custom.isNull()) {
            if (!custom.isObject()) {
                throw bad("'customParams' must be an object of string, number or boolean values.");
            }
            if (custom.size() > 32) {
                throw bad("'customParams' has more than 32 keys.");
            }
            var fields = custom.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (!PARAM_KEY.matcher(f.getKey()).matches()) {
                    throw bad("customParams key '" + f.getKey() + "' must be 1-64 letters, digits, '_', '.' or '-'.");
                }
                if (BridgeConfig.RESERVED_PARAMS.contains(f.getKey())) {
                    throw bad("customParams key '" + f.getKey() + "' is reserved (callSid, callerPhone, direction, to).");
                }
                JsonNode v = f.getValue();
                if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                    throw bad("customParams '" + f.getKey() + "' must be a string, number or boolean.");
                }
                if (v.asText().length() > 1024) {
                    throw bad("customParams '" + f.getKey() + "' is longer than 1024 characters.");
                }
                params.put(f.getKey(), v.asText());
            }
        }
        int timeout = 30;
        JsonNode t = field(node, "timeoutSec", "timeout_sec");
        if (t != null && !t.isNull()) {
            if (!t.canConvertToInt() || t.asInt() < 5 || t.asInt() > 120 || !t.isNumber()) {
                throw bad("'timeoutSec' must be a whole number of seconds between 5 and 120.");
            }
            timeout = t.asInt();
        }
        String digits = text(node, "sendDigits", "send_digits").orElse("");
        if (!DIGITS.matcher(digits).matches()) {
            throw bad("'sendDigits' may hold only 0-9 * # A-D and w (pause), at most 64 characters.");
        }
        Optional<String> wsTarget = text(node, "wsTarget", "ws_target");
        wsTarget.ifPresent(w -> {
            if (!w.startsWith("ws://") && !w.startsWith("wss://")) {
                throw bad("'wsTarget' must be a ws:// or wss:// URL.");
            }
        });
        Optional<String> callbackUrl = text(node, "callbackUrl", "callback_url");
        callbackUrl.ifPresent(c -> {
            if (!c.startsWith("http://") && !c.startsWith("https://")) {
                throw bad("'callbackUrl' must be an http:// or https:// URL.");
            }
        });
        return new OutboundCallRequest(to, text(node, "from", "from"), params, timeout, text(node, "via", "via"), digits,
                wsTarget, callbackUrl);
    }

    private static JsonNode field(JsonNode node, String camel, String snake) {
        JsonNode v = node.get(camel);
        return v != null ? v : node.get(snake);
    }

    private static Optional<String> text(JsonNode node, String camel, String snake) {
        JsonNode v = field(node, camel, snake);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw bad("'" + camel + "' must be a string.");
        }
        String s = v.asText();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    static ApiException bad(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_request", message);
    }
}
