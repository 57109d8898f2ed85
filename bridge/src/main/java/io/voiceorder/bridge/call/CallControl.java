package io.voiceorder.bridge.call;

/** What the REST API asks of the signalling side. */
public interface CallControl {

    /** Checks, sends the INVITE and returns the record ({@code initiated}) at once, never waiting for a callback. */
    CallRecord place(OutboundCallRequest request) throws CallRefusedException;

    /** DELETE: BYE, CANCEL or 480 depending on the state; an ended call is left as it is. */
    CallRecord hangup(String sid) throws CallRefusedException;

    /** Queues RFC 4733 digits on an answered call. */
    void sendDigits(String sid, String digits, int durationMs) throws CallRefusedException;
}
