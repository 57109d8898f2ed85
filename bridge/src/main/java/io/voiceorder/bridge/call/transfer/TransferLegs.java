package io.voiceorder.bridge.call.transfer;

/** Where the SIP side finds a bridged transfer's second leg by its Call-ID, for the requests it receives (BYE…). */
public interface TransferLegs {
    void register(String callId, BridgedTransfer leg);

    void unregister(String callId);
}
