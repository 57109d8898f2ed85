package io.voiceorder.bridge.rtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Symmetric RTP latching with source checks (bridge.md §6.3), for one flow (RTP or RTCP).
 * Before latching, packets go to the SDP address (or to the signalling source with the SDP port when
 * the SDP address is private and the signalling source public). The first valid packet from a
 * candidate IP (the SDP address or the signalling source) latches its IP:port; from then on only
 * that source is accepted, except a new port of the same IP once the latched flow has been silent
 * for the rebinding interval (NAT rebinding). Not thread-safe: one receiver thread owns it, the
 * pacer only reads {@link #target()}, which is volatile.
 */
public final class SymmetricLatch {
    /** Silence after which a new port of the latched IP may take over. */
    public static final long REBIND_SILENCE_NANOS = 1_000_000_000L;

    private InetAddress sdpAddress;
    private InetAddress signallingSource;
    private volatile InetSocketAddress target;
    private volatile InetSocketAddress latched;
    private long lastAcceptedNanos;

    /** Arms (or re-arms, after a re-INVITE with a new address) the latch for a remote SDP address and port. */
    public synchronized void arm(InetAddress sdpAddress, int sdpPort, InetAddress signallingSource) {
        boolean changed = !Objects.equals(this.sdpAddress, sdpAddress) || target == null || target.getPort() != sdpPort;
        this.sdpAddress = sdpAddress;
        this.signallingSource = signallingSource;
        if (!changed && latched != null) {
            return;
        }
        InetAddress first = sdpAddress;
        if (signallingSource != null && Addresses.isPrivate(sdpAddress) && Addresses.isPublic(signallingSource)) {
            first = signallingSource;
        }
        this.target = new InetSocketAddress(first, sdpPort);
        this.latched = null;
    }

    /**
     * Decides whether a valid packet from this source is accepted (latching on it when allowed).
     * @return true when the packet belongs to the call
     */
    public synchronized boolean accept(InetSocketAddress source, long nowNanos) {
        if (sdpAddress == null) {
            return false;
        }
        InetSocketAddress current = latched;
        if (current != null) {
            if (current.equals(source)) {
                lastAcceptedNanos = nowNanos;
                return true;
            }
            if (current.getAddress().equals(source.getAddress()) && nowNanos - lastAcceptedNanos >= REBIND_SILENCE_NANOS) {
                latchOn(source, nowNanos);
                return true;
            }
            return false;
        }
        InetAddress ip = source.getAddress();
        if (ip.equals(sdpAddress) || ip.equals(signallingSource)) {
            latchOn(source, nowNanos);
            return true;
        }
        return false;
    }

    private void latchOn(InetSocketAddress source, long nowNanos) {
        latched = source;
        target = source;
        lastAcceptedNanos = nowNanos;
    }

    /** Where packets go now: the latched source, else the SDP-derived address; null before any SDP. */
    public InetSocketAddress target() {
        return target;
    }

    /** The latched source, null before latching. */
    public InetSocketAddress latched() {
        return latched;
    }
}
