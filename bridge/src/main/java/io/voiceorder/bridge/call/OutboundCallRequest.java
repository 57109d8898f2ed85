package io.voiceorder.bridge.call;

import java.util.Map;
import java.util.Optional;

/** A validated {@code POST /api/calls} body (bridge.md §3.4). */
public record OutboundCallRequest(String to, Optional<String> from, Map<String, String> customParams, int timeoutSec,
                                  Optional<String> via, String sendDigits, Optional<String> wsTarget,
                                  Optional<String> callbackUrl) {
}
