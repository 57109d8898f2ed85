package io.voiceorder.bridge.nat;

import org.ice4j.ice.Agent;

import java.net.InetAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

/**
 * NAT traversal for the media engine: one ice4j agent (its STUN stack and TURN client machinery)
 * serving every call. No ICE candidates reach SDP; only the per-call mapped or relayed address does.
 */
public final class NatTraversal implements AutoCloseable {
    private final NatSettings settings;
    private final Agent agent;

    public NatTraversal(NatSettings settings) {
        this.settings = settings;
        this.agent = settings.perCall() ? new Agent() : null;
    }

    public NatSettings settings() {
        return settings;
    }

    /** Per-call traversal over the call's RTP channel; empty with --no-ice or without a STUN/TURN server. */
    public Optional<CallNat> forCall(String callSid, DatagramChannel rtp, InetAddress bind, int port) throws SocketException {
        if (agent == null) {
            return Optional.empty();
        }
        return Optional.of(new CallNat(callSid, settings, agent, rtp, bind, port));
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.free();
        }
    }
}
