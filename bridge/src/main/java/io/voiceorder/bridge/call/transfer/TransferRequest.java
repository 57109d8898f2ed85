package io.voiceorder.bridge.call.transfer;

/**
 * {@code POST /api/calls/{sid}/transfer} once parsed (bridge.md §3.5): the destination as given, the ring
 * timeout of a bridged leg (5–120 s) and whether the reply waits for the hand-off or the failure.
 */
public record TransferRequest(String destination, int timeoutSec, boolean awaitHandOff) {
    public static final int DEFAULT_TIMEOUT_SEC = 30;
}
