package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallRecord;
import io.voiceorder.bridge.media.MediaLeg;

import javax.sip.Dialog;
import java.util.Optional;

/**
 * What a transfer needs of an answered call, inbound or outbound. Every method but {@link #execute} and
 * {@link #record} runs on the call's own serial executor, like the rest of its state machine.
 */
public interface TransferableCall {
    CallRecord record();

    MediaLeg leg();

    /** The call's confirmed dialog, in which the REFER is sent. */
    Dialog dialog();

    /** Runs a task on the call's serial executor. */
    void execute(Runnable task);

    boolean answered();

    /** False once serve has ended or lost the stream. */
    boolean streamOpen();

    TransferRoute route();

    /** The number of the person on this call's SIP leg: the caller of an inbound call, the callee of an outbound one. */
    String partyNumber();

    Optional<CallTransfer> transfer();

    void transfer(CallTransfer transfer);

    /** The caller is with a person now: the maximum call duration no longer applies (bridge.md §5.7). */
    void handedOff();

    /** The transfer completed: {@code stop} to serve if its stream is open, BYE, status and endReason {@code transferred}. */
    void endTransferred();

    /** The transfer failed while serve's stream is closed: BYE, endReason {@code transfer-failed}. */
    void endTransferFailed();
}
