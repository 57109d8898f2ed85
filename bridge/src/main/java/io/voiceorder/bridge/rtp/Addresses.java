package io.voiceorder.bridge.rtp;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Address classes that decide where RTP goes before latching (bridge.md §6.3). */
public final class Addresses {
    private Addresses() {
    }

    /** RFC 1918 private or RFC 6598 shared (carrier-grade NAT) IPv4 space. */
    public static boolean isPrivate(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        return a0 == 10
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 168)
                || (a0 == 100 && a1 >= 64 && a1 <= 127);
    }

    /** Routable on the internet: not private, loopback, link-local, wildcard or multicast. */
    public static boolean isPublic(InetAddress address) {
        return !isPrivate(address) && !address.isLoopbackAddress() && !address.isLinkLocalAddress()
                && !address.isAnyLocalAddress() && !address.isMulticastAddress();
    }
}
