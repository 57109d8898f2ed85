package io.voiceorder.bridge.call.transfer;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A transfer's progress (bridge.md §3.1 {@code transfer.state}): PENDING (REFER sent or second leg
 * being set up) → ACCEPTED (REFER answered 2xx) → RINGING (the destination rings) → SUCCEEDED | FAILED.
 * A bridged transfer skips ACCEPTED; a REFER whose NOTIFYs never say ringing goes from ACCEPTED to its end.
 */
public enum TransferState {
    PENDING, ACCEPTED, RINGING, SUCCEEDED, FAILED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }

    public boolean canMoveTo(TransferState next) {
        return allowedNext().contains(next);
    }

    private Set<TransferState> allowedNext() {
        return switch (this) {
            case PENDING -> EnumSet.of(ACCEPTED, RINGING, SUCCEEDED, FAILED);
            case ACCEPTED -> EnumSet.of(RINGING, SUCCEEDED, FAILED);
            case RINGING -> EnumSet.of(SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED -> EnumSet.noneOf(TransferState.class);
        };
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
