package io.voiceorder.app.twilio;

import io.voiceorder.app.agent.CallIdentity;
import io.voiceorder.app.agent.CallTransfer;
import io.voiceorder.app.agent.PhoneMask;
import io.voiceorder.app.agent.TransferOutcome;
import io.voiceorder.app.call.CallLogContext;
import io.voiceorder.app.config.ServeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Transfer in Twilio mode (serve.md §8.1): a live-call update whose TwiML leaves the media stream for
 * a {@code <Dial>}. Twilio then requests {@code /transfer-result}, which records whether anyone answered
 * and brings the caller back to the agent if nobody did.
 * <ul>
 * <li>2xx → {@code TRANSFERRED} (the stream will receive {@code stop});</li>
 * <li>404 with Twilio code 20404 → {@code ALREADY_ENDED};</li>
 * <li>anything else, a timeout, missing credentials, an invalid number, no public base → {@code FAILED(error)}.</li>
 * </ul>
 */
@Singleton
public final class TwilioCallTransfer implements CallTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioCallTransfer.class);
    static final int TWILIO_NOT_FOUND = 20404;

    private final TwilioRestClient rest;
    private final Optional<String> base;

    @Inject
    public TwilioCallTransfer(TwilioRestClient rest, ServeConfig config) {
        this(rest, config.publicUrl().map(u -> u.toString()));
    }

    private TwilioCallTransfer(TwilioRestClient rest, Optional<String> base) {
        this.rest = rest;
        this.base = base.map(b -> b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    }

    /**
     * The same transfer with {@code <base>} of the {@code action} URL taken from the stream's upgrade
     * ({@code https://<Host>}) when {@code PUBLIC_URL} is not set; {@code PUBLIC_URL} wins when it is.
     */
    public CallTransfer withUpgradeBase(String upgradeBase) {
        return new TwilioCallTransfer(rest, base.isPresent() ? base : Optional.of(upgradeBase));
    }

    @Override
    public CompletionStage<TransferOutcome> transfer(CallIdentity call, String number, int ringTimeoutSec) {
        if (!rest.isConfigured()) {
            return refuse(call, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed for transfers");
        }
        if (!DialNumber.isValid(number)) {
            return refuse(call, "the transfer number is not + and digits");
        }
        if (base.isEmpty()) {
            return refuse(call, "no public URL for /transfer-result: set PUBLIC_URL");
        }
        if (call.callSid() == null || call.callSid().isBlank()) {
            return refuse(call, "the call has no call sid");
        }
        String action = base.get() + "/transfer-result?restaurantId="
                + URLEncoder.encode(call.restaurantId() == null ? "" : call.restaurantId(), StandardCharsets.UTF_8);
        String twiml = Twiml.dial(number, ringTimeoutSec, action);
        log(call, () -> LOG.info("transfer to {}: asking Twilio to dial (ring {} s)", PhoneMask.mask(number), ringTimeoutSec));
        return rest.updateCallTwiml(call.callSid(), twiml).handle((reply, error) -> {
            if (error != null) {
                log(call, () -> LOG.warn("transfer to {} failed: Twilio REST unreachable or too slow ({})",
                        PhoneMask.mask(number), error.getClass().getSimpleName()));
                return TransferOutcome.failed(TransferOutcome.Reason.ERROR);
            }
            if (reply.isSuccess()) {
                log(call, () -> LOG.info("transfer to {} accepted by Twilio", PhoneMask.mask(number)));
                return TransferOutcome.transferred();
            }
            if (reply.status() == 404 && reply.errorCode() == TWILIO_NOT_FOUND) {
                log(call, () -> LOG.info("transfer not possible: Twilio says the call is already over"));
                return TransferOutcome.alreadyEnded();
            }
            log(call, () -> LOG.warn("transfer to {} refused by Twilio: HTTP {} code {}",
                    PhoneMask.mask(number), reply.status(), reply.errorCode()));
            return TransferOutcome.failed(TransferOutcome.Reason.ERROR);
        });
    }

    private static CompletionStage<TransferOutcome> refuse(CallIdentity call, String why) {
        log(call, () -> LOG.warn("transfer not attempted: {}", why));
        return CompletableFuture.completedFuture(TransferOutcome.failed(TransferOutcome.Reason.ERROR));
    }

    private static void log(CallIdentity call, Runnable line) {
        CallLogContext.run(call.callSid(), line);
    }
}
