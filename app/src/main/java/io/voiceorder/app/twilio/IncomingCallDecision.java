package io.voiceorder.app.twilio;

/**
 * What {@code /incoming-call} answers (serve.md §3.2): (a) connect the stream, (b) reject a blocked
 * caller, (c) busy, or (d) dial the restaurant straight away (automatic transfer).
 */
public sealed interface IncomingCallDecision {

    /** (a) The stream TwiML; a capacity slot has been reserved for the call. */
    record Connect(String restaurantId) implements IncomingCallDecision {
    }

    /** (b) {@code <Reject/>}: the caller's number is blocked. */
    record Reject() implements IncomingCallDecision {
    }

    /** (c) The spoken busy message in {@code language} (the restaurant's, {@code fr} when unknown), then hang up. */
    record Busy(String language) implements IncomingCallDecision {
    }

    /**
     * (d) {@code <Dial>} the restaurant's transfer number; the call record is already being written.
     *
     * @param number         E.164 number to dial
     * @param ringTimeoutSec the restaurant's {@code transfer.ring_timeout_s}
     */
    record Dial(String restaurantId, String number, int ringTimeoutSec) implements IncomingCallDecision {
    }
}
