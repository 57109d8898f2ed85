package io.voiceorder.bridge.call.transfer;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;

/** A call's transfer as its state machine sees it; called on the call's serial executor. */
public interface CallTransfer {
    /** Not yet handed off nor failed: serve's {@code stop} or close ends the stream, not the caller's leg. */
    boolean pending();

    /** The caller's leg is joined with the destination's leg (bridged transfer answered). */
    boolean joined();

    /** A NOTIFY in the call's dialog (the REFER's progress). */
    void onNotify(RequestEvent event, ServerTransaction transaction);

    /** serve ended or lost the stream while the transfer was pending. */
    void streamEnded();

    /** The call ended (BYE either way, DELETE, shutdown…): whatever the transfer still holds is released. */
    void callEnded();
}
