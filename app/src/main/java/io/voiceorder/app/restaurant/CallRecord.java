package io.voiceorder.app.restaurant;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The final call record (§6.6), written once by {@link RestaurantBackend#finishCall}.
 *
 * @param id             the id returned by {@link RestaurantBackend#startCall}, or null if creating it failed
 *                       (the adapter then creates it now)
 * @param outcome        {@code transferred}, {@code order_placed}, {@code reservation_placed}, {@code message_left},
 *                       {@code error}, {@code info_only}, {@code abandoned}
 * @param endReason      {@code caller_hangup}, {@code stream_closed}, {@code agent_end_call}, {@code transferred},
 *                       {@code max_duration}, {@code openai_unavailable}, {@code stream_timeout}, {@code protocol_error},
 *                       {@code shutdown}, {@code process_restart}
 * @param costCurrency   currency of the three costs
 * @param transferStatus {@code requested}, {@code completed}, {@code busy}, {@code no-answer}, {@code failed},
 *                       {@code canceled}, {@code error}, or null when no transfer
 */
public record CallRecord(String id, String restaurantId, String callSid, String streamSid, String mode,
                         String direction, String callerNumber, String calledNumber, String customerId,
                         Instant startedAt, Instant endedAt, long durationSec, String outcome, String endReason,
                         List<TranscriptLine> transcript, long inputTokens, long outputTokens,
                         long inputAudioTokens, long outputAudioTokens, long cachedInputTokens,
                         BigDecimal costAi, BigDecimal costTelecom, BigDecimal costGoogle, String costCurrency,
                         String aiModel, int reconnects, int bargeIns, String transferTarget,
                         String transferStatus) {

    public CallRecord {
        transcript = List.copyOf(transcript);
    }

    /**
     * One transcript line.
     *
     * @param role        {@code user} or {@code assistant}
     * @param interrupted true on an assistant line cut by a barge-in, else null
     * @param heardMs     how much of it the caller heard, only on interrupted lines
     */
    public record TranscriptLine(String role, String content, Instant timestamp, Boolean interrupted, Integer heardMs) {
    }
}
