package io.voiceorder.bridge.nat;

import java.net.InetSocketAddress;

/**
 * NAT flags of the bridge (bridge.md §2.1): STUN server, TURN server with its long-term credentials,
 * and {@code --no-ice}, which turns per-call STUN and TURN off for media.
 * @param stunServer null when neither --stun-server nor --turn-server is set
 * @param turnServer null without --turn-server
 * @param turnPassword secret: never printed
 */
public record NatSettings(InetSocketAddress stunServer, InetSocketAddress turnServer, String turnUsername,
                          String turnPassword, boolean noIce) {

    public static final NatSettings NONE = new NatSettings(null, null, null, null, false);

    public NatSettings {
        if (turnServer != null && (turnUsername == null || turnUsername.isEmpty() || turnPassword == null)) {
            throw new IllegalArgumentException("a TURN server needs a username and a password");
        }
        if (turnServer != null && noIce) {
            throw new IllegalArgumentException("--no-ice turns relaying off: it cannot go with a TURN server");
        }
        if (stunServer == null) {
            // The TURN server answers Binding requests too (RFC 5766 §2).
            stunServer = turnServer;
        }
    }

    /** Whether each call's RTP socket asks STUN/TURN for its media address. */
    public boolean perCall() {
        return !noIce && stunServer != null;
    }

    public boolean relay() {
        return !noIce && turnServer != null;
    }

    @Override
    public String toString() {
        return "NatSettings[stun=" + stunServer + ", turn=" + turnServer + ", turnUsername=" + turnUsername
                + ", turnPassword=" + (turnPassword == null ? "not set" : "set") + ", noIce=" + noIce + "]";
    }
}
