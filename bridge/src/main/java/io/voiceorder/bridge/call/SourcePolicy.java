package io.voiceorder.bridge.call;

import io.voiceorder.bridge.config.Cidr;
import io.voiceorder.bridge.sip.TrunkAddresses;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Classifies a request's source IP by the rules of bridge.md §5.3, first match wins: a trunk address, then an
 * {@code --allow-from} CIDR (peer), then the source of a current device binding; anything else is unknown. Rule 1
 * (bans, scanners) runs before this, in the network guard.
 */
public final class SourcePolicy {
    private final Optional<TrunkAddresses> trunk;
    private final List<Cidr> peers;
    private final Predicate<String> boundDevice;

    public SourcePolicy(Optional<TrunkAddresses> trunk, List<Cidr> peers, Predicate<String> boundDevice) {
        this.trunk = trunk;
        this.peers = List.copyOf(peers);
        this.boundDevice = boundDevice;
    }

    public SourceClass classify(String ip) {
        if (trunk.isPresent() && trunk.get().contains(ip)) {
            return SourceClass.TRUNK;
        }
        if (peers.stream().anyMatch(c -> c.contains(ip))) {
            return SourceClass.PEER;
        }
        if (boundDevice.test(ip)) {
            return SourceClass.DEVICE;
        }
        return SourceClass.UNKNOWN;
    }
}
