package io.voiceorder.bridge.nat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** Which local address the routing table uses towards a remote host. */
final class Routes {
    private Routes() {
    }

    static InetAddress localAddressTowards(InetAddress remote) {
        try (DatagramSocket probe = new DatagramSocket()) {
            // No packet leaves: connecting a UDP socket only asks the routing table for the source address.
            probe.connect(remote, 9);
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local;
            }
        } catch (IOException e) {
            // No route: fall through to the loopback-or-wildcard answer below.
        }
        return remote.isLoopbackAddress() ? remote : InetAddress.getLoopbackAddress();
    }
}
