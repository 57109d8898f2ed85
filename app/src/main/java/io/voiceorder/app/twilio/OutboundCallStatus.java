package io.voiceorder.app.twilio;

import java.util.Set;

/**
 * A Twilio call as {@code Calls/<sid>.json} describes it.
 *
 * @param status      {@code queued}, {@code initiated}, {@code ringing}, {@code in-progress}, {@code completed},
 *                    {@code busy}, {@code no-answer}, {@code failed} or {@code canceled}
 * @param durationSec seconds of conversation, null until Twilio knows it
 */
public record OutboundCallStatus(String sid, String status, Integer durationSec) {
    private static final Set<String> FINAL = Set.of("completed", "busy", "no-answer", "failed", "canceled");

    /** Nothing more will happen to this call. */
    public boolean isFinal() {
        return FINAL.contains(status);
    }

    /** Ended after being answered: the command exits 0. */
    public boolean completedNormally() {
        return "completed".equals(status);
    }
}
