package io.voiceorder.bridge.media;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-call content of {@code start.customParameters} and the stream's target.
 * @param direction inbound or outbound
 * @param customParameters {@code --param}s then per-call parameters, in order; the built-in keys
 *                         (callerPhone, direction, to) and callSid are never taken from here
 * @param wsTarget per-call WebSocket target (REST or incoming-callback override), or null for --ws-target
 */
public record StreamStart(String callerPhone, String direction, String to, Map<String, String> customParameters,
                          URI wsTarget) {

    public StreamStart {
        if (!"inbound".equals(direction) && !"outbound".equals(direction)) {
            throw new IllegalArgumentException("direction must be inbound or outbound");
        }
        customParameters = customParameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(customParameters));
    }

    public StreamStart(String callerPhone, String direction, String to, Map<String, String> customParameters) {
        this(callerPhone, direction, to, customParameters, null);
    }

    /** callerPhone, direction, to, then the custom parameters except reserved keys. */
    public Map<String, String> startParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("callerPhone", callerPhone == null ? "" : callerPhone);
        out.put("direction", direction);
        out.put("to", to == null ? "" : to);
        customParameters.forEach((k, v) -> {
            if (!out.containsKey(k) && !"callSid".equals(k) && k != null && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
