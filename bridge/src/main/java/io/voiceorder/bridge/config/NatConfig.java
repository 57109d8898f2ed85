package io.voiceorder.bridge.config;

import java.util.Optional;

/**
 * NAT flags (bridge.md §2.1, §8): STUN server, TURN server with long-term credentials, --no-ice.
 * @param stunServer --stun-server, else --turn-server (the TURN server answers STUN too)
 * @param turnPassword secret
 */
public record NatConfig(Optional<HostPort> stunServer, Optional<HostPort> turnServer, Optional<String> turnUsername,
                        Secret turnPassword, boolean noIce) {

    public static final int DEFAULT_PORT = 3478;
    public static final NatConfig NONE = new NatConfig(Optional.empty(), Optional.empty(), Optional.empty(), Secret.of(null), false);

    public NatConfig {
        if (stunServer.isEmpty()) {
            stunServer = turnServer;
        }
    }
}
