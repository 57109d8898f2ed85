package io.voiceorder.app.agent;

import java.util.concurrent.CompletionStage;

/**
 * Hands a live call over to a person (serve.md §8). One implementation per mode: the Twilio REST
 * live-call update (§8.1) and the bridge REST API (§8.2). The stage completes once the outcome is
 * known; it never completes exceptionally — every failure is a {@link TransferOutcome#failed}.
 */
public interface CallTransfer {

    /**
     * @param call the call to transfer (its call sid names it to Twilio or the bridge)
     * @param number the destination, {@code +} and digits
     * @param ringTimeoutSec how long the destination may ring ({@code transfer.ring_timeout_s})
     */
    CompletionStage<TransferOutcome> transfer(CallIdentity call, String number, int ringTimeoutSec);
}
