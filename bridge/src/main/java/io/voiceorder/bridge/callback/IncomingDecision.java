package io.voiceorder.bridge.callback;

import java.util.Map;
import java.util.Optional;

/** The incoming callback's answer (bridge.md §4.2). */
public record IncomingDecision(Action action, int statusCode, Map<String, String> customParams, Optional<String> wsTarget,
                               Optional<String> callbackUrl, String why) {

    public enum Action { ACCEPT, REJECT, IGNORE, FALLBACK }

    /** Timeout, connection error, non-2xx, bad JSON or unknown action: accept, or 480 under --no-auto-answer. */
    public static IncomingDecision fallback(String why) {
        return new IncomingDecision(Action.FALLBACK, 0, Map.of(), Optional.empty(), Optional.empty(), why);
    }
}
