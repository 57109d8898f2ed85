package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.sip.DigestCredentials;

/**
 * Where a transfer goes once routed: the SIP URI put in {@code Refer-To} and used as the bridged leg's
 * Request-URI, the number the record and the toll-fraud guard see, and whether the trunk carries it
 * (then the bridged leg's From is the trunk identity and its challenges get the trunk credentials).
 *
 * @param device set when the bridged leg goes to a registered device: its binding and credentials
 */
public record TransferTarget(String uri, String shownDestination, boolean viaTrunk, DeviceLeg device) {

    public TransferTarget(String uri, String shownDestination, boolean viaTrunk) {
        this(uri, shownDestination, viaTrunk, null);
    }

    /** A device's binding: every request of the leg goes to its source address, whatever its Contact shows. */
    public record DeviceLeg(String user, String host, int port, DigestCredentials credentials) {
    }
}
