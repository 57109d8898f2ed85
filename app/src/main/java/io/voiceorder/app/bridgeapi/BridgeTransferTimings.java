package io.voiceorder.app.bridgeapi;

import java.time.Duration;

/**
 * Waits of a bridge transfer (serve.md §8.2). Tests shorten them.
 *
 * @param httpSlack added to the ring timeout for the transfer request: the bridge answers once the
 *                  transfer has been handed off or has failed
 * @param pollInterval between two {@code GET /api/calls/<sid>} while waiting for the hand-off to finish
 * @param handOffLimit how long after the bridge's 200 the call may still be with serve before the
 *                     transfer counts as failed
 */
public record BridgeTransferTimings(Duration httpSlack, Duration pollInterval, Duration handOffLimit) {

    public static BridgeTransferTimings standard() {
        return new BridgeTransferTimings(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(40));
    }
}
