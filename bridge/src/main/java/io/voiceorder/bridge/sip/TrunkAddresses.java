package io.voiceorder.bridge.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trunk's signalling addresses (bridge.md §5.3 rule 2): the A records of {@code --sip-domain} at the last
 * resolution plus every address that answered a REGISTER. Requests from them are trunk requests.
 */
public final class TrunkAddresses {
    private final String domainHost;
    private volatile Set<String> resolved = Set.of();
    private final Set<String> responders = ConcurrentHashMap.newKeySet();

    public TrunkAddresses(String domainHost) {
        this.domainHost = domainHost;
    }

    /** Resolves the domain again (blocking DNS: never called on the SIP listener thread). */
    public void resolve() throws UnknownHostException {
        Set<String> addresses = ConcurrentHashMap.newKeySet();
        for (InetAddress a : InetAddress.getAllByName(domainHost)) {
            addresses.add(a.getHostAddress());
        }
        resolved = Set.copyOf(addresses);
    }

    public void addResponder(String ip) {
        if (ip != null) {
            responders.add(ip);
        }
    }

    public boolean contains(String ip) {
        return resolved.contains(ip) || responders.contains(ip);
    }

    /** The first resolved address, to find the local address that routes towards the trunk. */
    public String any() {
        return resolved.stream().findFirst().orElse(domainHost);
    }
}
