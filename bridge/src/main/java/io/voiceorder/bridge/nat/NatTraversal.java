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
    static {
        // ice4j's agent would otherwise probe the AWS metadata address (an HTTP request) for a mapping harvester
        // the bridge never uses; it reads its configuration from system properties once, at first use.
        if (System.getProperty("ice4j.harvest.mapping.aws.enabled") == null) {
            System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        }
        Ice4jLogging.install();
    }

    private final NatSettings settings;
    private final Agent agent;
    private final PublicAddressLearner learner;

    public NatTraversal(NatSettings settings) {
        this(settings, null);
    }

    /** @param learner the process's public-address learner, closed with this; null = none */
    public NatTraversal(NatSettings settings, PublicAddressLearner learner) {
        this.settings = settings;
        this.learner = learner;
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
        if (learner != null) {
            learner.close();
        }
    }
}
