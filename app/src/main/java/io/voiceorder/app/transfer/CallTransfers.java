package io.voiceorder.app.transfer;

import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.CallTransfer;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.bridgeapi.BridgeCallTransfer;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.twilio.TwilioCallTransfer;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletionStage;

/**
 * The transfer of a call by its mode (serve.md §1): Twilio calls through the Twilio REST API (§8.1),
 * bridge calls through the bridge REST API (§8.2). {@link #available} says whether {@code transfer_call}
 * can be offered on a call at all (§6.2).
 */
@Singleton
public final class CallTransfers implements CallTransfer {
    private final ServeConfig config;
    private final TwilioCallTransfer twilio;
    private final BridgeCallTransfer bridge;

    public CallTransfers(ServeConfig config, TwilioCallTransfer twilio, BridgeCallTransfer bridge) {
        this.config = config;
        this.twilio = twilio;
        this.bridge = bridge;
    }

    /** Twilio mode needs {@code TWILIO_ACCOUNT_SID} and {@code TWILIO_AUTH_TOKEN}; the bridge can always be asked. */
    public boolean available(CallIdentity call) {
        return isTwilio(call) ? config.twilioRestConfigured() : true;
    }

    @Override
    public CompletionStage<TransferOutcome> transfer(CallIdentity call, String number, int ringTimeoutSec) {
        return (isTwilio(call) ? twilio : bridge).transfer(call, number, ringTimeoutSec);
    }

    /**
     * The same, with the {@code https://<Host>} the stream's upgrade came through: the base of the
     * {@code <Dial action>} URL in Twilio mode when {@code PUBLIC_URL} is not set.
     */
    public CompletionStage<TransferOutcome> transfer(CallIdentity call, String number, int ringTimeoutSec, String upgradeBase) {
        if (isTwilio(call) && upgradeBase != null && !upgradeBase.isBlank()) {
            return twilio.withUpgradeBase(upgradeBase).transfer(call, number, ringTimeoutSec);
        }
        return transfer(call, number, ringTimeoutSec);
    }

    private static boolean isTwilio(CallIdentity call) {
        return "twilio".equals(call.mode());
    }
}
