package io.voiceorder.bridge.call;

/**
 * The call object's {@code transfer} (bridge.md §3.1): where to, by REFER or a bridged leg, how far it got,
 * and the SIP code that decided it (null while nothing final came).
 */
public record TransferView(String destination, String method, String state, Integer sipCode) {
}
