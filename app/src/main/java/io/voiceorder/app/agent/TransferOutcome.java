package io.voiceorder.app.agent;

import java.util.Locale;
import java.util.Objects;

/**
 * What became of a transfer request.
 *
 * @param status {@code TRANSFERRED}: the call left serve for the destination (or the request to do so was
 *               accepted); {@code ALREADY_ENDED}: the call was over before it could be transferred;
 *               {@code FAILED}: the caller is still with serve and must be told (§8.4)
 * @param reason why it failed; {@code null} unless {@code FAILED}
 */
public record TransferOutcome(Status status, Reason reason) {

    public enum Status { TRANSFERRED, ALREADY_ENDED, FAILED }

    /** The reason given to the model in {@code transfer_failed}. */
    public enum Reason {
        BUSY, NO_ANSWER, REFUSED, ERROR;

        /** {@code busy}, {@code no_answer}, {@code refused}, {@code error}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TransferOutcome {
        Objects.requireNonNull(status, "status");
        if ((status == Status.FAILED) != (reason != null)) {
            throw new IllegalArgumentException("a reason goes with FAILED and only with it");
        }
    }

    public static TransferOutcome transferred() {
        return new TransferOutcome(Status.TRANSFERRED, null);
    }

    public static TransferOutcome alreadyEnded() {
        return new TransferOutcome(Status.ALREADY_ENDED, null);
    }

    public static TransferOutcome failed(Reason reason) {
        return new TransferOutcome(Status.FAILED, Objects.requireNonNull(reason, "reason"));
    }

    public boolean isTransferred() {
        return status == Status.TRANSFERRED;
    }
}
