package io.voiceorder.bridge.call;

import io.voiceorder.bridge.sip.DigestCredentials;

/**
 * Where an outbound INVITE goes (bridge.md §5.5): through the trunk (Request-URI host = the trunk domain, From =
 * the trunk account, trunk credentials) or through a registered device (Request-URI host = the binding's source
 * address, so the request reaches the device through its NAT binding; that device's credentials).
 *
 * @param device the device user, or null for the trunk
 */
public record OutboundRoute(String device, String requestHost, String fromUser, String fromHost, DigestCredentials credentials) {

    public boolean viaTrunk() {
        return device == null;
    }

    /** For log lines: {@code the trunk} or {@code device ht841}. */
    public String describe() {
        return device == null ? "the trunk" : "device " + device;
    }
}
