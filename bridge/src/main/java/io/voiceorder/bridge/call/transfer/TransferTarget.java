package io.voiceorder.bridge.call.transfer;

/**
 * Where a transfer goes once routed: the SIP URI put in {@code Refer-To} and used as the bridged leg's
 * Request-URI, the number the record and the toll-fraud guard see, and whether the trunk carries it
 * (then the bridged leg's From is the trunk identity and its challenges get the trunk credentials).
 */
public record TransferTarget(String uri, String shownDestination, boolean viaTrunk) {
}
