package io.voiceorder.app.restaurant;

import java.time.Instant;

/**
 * What is known when a call starts (§6.6): the record is created with outcome {@code in_progress}.
 *
 * @param mode         {@code twilio} or {@code bridge}
 * @param direction    {@code inbound} or {@code outbound}
 * @param callerNumber normalised, or null/empty for an anonymous caller
 */
public record CallStart(String restaurantId, String callSid, String streamSid, String mode, String direction,
                        String callerNumber, String calledNumber, String customerId, Instant startedAt) {
}
