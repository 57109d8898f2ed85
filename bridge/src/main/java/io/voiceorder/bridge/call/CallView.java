package io.voiceorder.bridge.call;

import java.util.Map;

/**
 * The call object of the API and the callbacks (bridge.md §3.1), frozen at one instant.
 * Field order and names are the JSON's; timestamps are ISO-8601 UTC with milliseconds.
 */
public record CallView(String sid, String direction, String source, String from, String to, String status,
                       String createdAt, String answeredAt, String endedAt, long durationSec,
                       Map<String, String> customParams, String device, Integer sipCode, String endReason,
                       Object transfer, Map<String, Object> media) {
}
