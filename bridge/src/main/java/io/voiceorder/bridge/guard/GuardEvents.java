package io.voiceorder.bridge.guard;

/** Where the guard reports what it dropped (the metrics). Called on the SIP stack's threads: must not block. */
public interface GuardEvents {
    GuardEvents NONE = (verdict, invite) -> { };

    /** @param invite whether the dropped message was an INVITE */
    void dropped(GuardVerdict verdict, boolean invite);
}
