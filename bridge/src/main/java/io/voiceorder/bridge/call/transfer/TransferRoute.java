package io.voiceorder.bridge.call.transfer;

/**
 * How a call reached the bridge, which decides where a transfer's number is dialled (bridge.md §5.9):
 * the trunk for trunk calls and outbound calls placed via the trunk. Device and peer routes are
 * planned; a call cannot come in by them in this version.
 */
public enum TransferRoute {
    TRUNK
}
