package io.voiceorder.bridge.call;

import io.voiceorder.bridge.call.transfer.Transfer;
import io.voiceorder.bridge.call.transfer.TransferRequest;

/** What the REST API asks of the signalling side. */
public interface CallControl {

    /** Checks, sends the INVITE and returns the record ({@code initiated}) at once, never waiting for a callback. */
    CallRecord place(OutboundCallRequest request) throws CallRefusedException;

    /** DELETE: BYE, CANCEL or 480 depending on the state; an ended call is left as it is. */
    CallRecord hangup(String sid) throws CallRefusedException;

    /** Queues RFC 4733 digits on an answered call. */
    void sendDigits(String sid, String digits, int durationMs) throws CallRefusedException;

    /** Starts a blind transfer of an answered call (bridge.md §3.5, §5.9); checks refuse it before anything is sent. */
    Transfer transfer(String sid, TransferRequest request) throws CallRefusedException;
}
