package io.voiceorder.bridge.nat;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RelayedCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * NAT traversal of one call's RTP socket (bridge.md §8.1–8.2): a STUN Binding from that socket for
 * its public mapping, or a TURN allocation made by ice4j's TURN client from that socket. With a
 * relay, ice4j's relayed socket creates the permission and channel binding for the remote media
 * address on the first packet sent to it and keeps them, the allocation is refreshed by ice4j before
 * it expires, and {@link #close()} releases it. STUN, TURN and RTP share the channel (RFC 7983).
 */
public final class CallNat implements AutoCloseable {
    /** What the relay received from a peer: handed to the RTP side with the peer's address. */
    @FunctionalInterface
    public interface RelaySink {
        void onDatagram(ByteBuffer data, InetSocketAddress peer, long arrivalNanos);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CallNat.class);
    private static final int MAX_DATAGRAM = 2048;

    private final String callSid;
    private final NatSettings settings;
    private final Agent agent;
    private final SharedDatagramSocket shared;
    private final MultiplexingDatagramSocket hostSocket;
    private final IceSocketWrapper stunSocket;
    private final HostCandidate host;
    private final Component component;
    private volatile RelayedCandidate relay;
    private volatile IceSocketWrapper relaySocket;
    private volatile Thread relayReader;
    private volatile boolean closed;

    CallNat(String callSid, NatSettings settings, Agent agent, DatagramChannel rtp, InetAddress bind, int port)
            throws SocketException {
        this.callSid = callSid;
        this.settings = settings;
        this.agent = agent;
        InetAddress local = bind.isAnyLocalAddress() ? Routes.localAddressTowards(settings.stunServer().getAddress()) : bind;
        this.shared = new SharedDatagramSocket(rtp, new InetSocketAddress(local, port));
        this.hostSocket = new MultiplexingDatagramSocket(shared);
        IceMediaStream stream = IceMediaStream.build(agent, "call-" + callSid);
        this.component = new RelayComponent(stream);
        this.host = new HostCandidate(new IceUdpSocketWrapper(hostSocket), component, Transport.UDP);
        component.addLocalCandidate(host);
        this.stunSocket = host.getStunSocket(null);
        agent.getStunStack().addSocket(stunSocket);
    }

    /** RTP receiver thread: takes STUN and TURN datagrams (first byte, RFC 7983); false = RTP/RTCP. */
    public boolean offer(ByteBuffer datagram, InetSocketAddress source) {
        if (closed || !SharedDatagramSocket.isStunOrTurn(datagram)) {
            return false;
        }
        shared.offer(datagram, source);
        return true;
    }

    /** The RTP socket's public IP:port by a STUN Binding from it (500 ms in production). */
    public InetSocketAddress mapped(Duration timeout) throws NatException {
        return StunBinding.query(agent.getStunStack(), settings.stunServer(), host.getTransportAddress(), timeout);
    }

    /**
     * Allocates a UDP relay from the RTP socket with the long-term credentials.
     * @return the relayed transport address for the SDP
     * @throws NatException when the server refuses (e.g. wrong password) or does not answer in time
     */
    public InetSocketAddress allocate(Duration timeout) throws NatException {
        InetSocketAddress server = settings.turnServer();
        TurnCandidateHarvester harvester = new TurnCandidateHarvester(
                new TransportAddress(server.getAddress(), server.getPort(), Transport.UDP),
                new LongTermCredential(settings.turnUsername(), settings.turnPassword()));
        CompletableFuture<Collection<LocalCandidate>> harvest = CompletableFuture.supplyAsync(() -> harvester.harvest(component),
                r -> {
                    Thread t = new Thread(r, "turn-allocate-" + callSid);
                    t.setDaemon(true);
                    t.start();
                });
        Collection<LocalCandidate> candidates;
        try {
            candidates = harvest.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Too late for this call's SDP: an allocation that still arrives is released at once.
            harvest.thenAccept(late -> {
                for (LocalCandidate c : late) {
                    if (c instanceof RelayedCandidate r) {
                        r.getCandidateIceSocketWrapper().close();
                    }
                }
            });
            throw new NatException("no TURN allocation from " + StunBinding.hostPort(server) + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NatException("interrupted waiting for TURN");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NatException("TURN allocation failed: " + e.getCause(), e.getCause());
        }
        for (LocalCandidate c : candidates) {
            if (c instanceof RelayedCandidate r) {
                relay = r;
                relaySocket = r.getCandidateIceSocketWrapper();
                TransportAddress a = r.getTransportAddress();
                return new InetSocketAddress(a.getAddress(), a.getPort());
            }
        }
        throw new NatException("TURN server " + StunBinding.hostPort(server)
                + " gave no relay (no answer, or credentials or allocation refused)");
    }

    public boolean relayed() {
        return relaySocket != null;
    }

    /** Starts handing what peers send through the relay to the RTP side (one reader thread). */
    public void startRelayReceiver(RelaySink sink) {
        IceSocketWrapper socket = relaySocket;
        if (socket == null || relayReader != null) {
            return;
        }
        Thread t = new Thread(() -> readRelay(socket, sink), "turn-relay-" + callSid);
        t.setDaemon(true);
        relayReader = t;
        t.start();
    }

    private void readRelay(IceSocketWrapper socket, RelaySink sink) {
        byte[] buffer = new byte[MAX_DATAGRAM + 1];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                p.setData(buffer, 0, buffer.length);
                socket.receive(p);
            } catch (IOException e) {
                if (!closed) {
                    log(false, "relay receive ended: {}", e.toString());
                }
                return;
            }
            long now = System.nanoTime();
            ByteBuffer data = ByteBuffer.wrap(buffer, 0, p.getLength() > MAX_DATAGRAM ? 0 : p.getLength());
            InetSocketAddress peer = (InetSocketAddress) p.getSocketAddress();
            try {
                sink.onDatagram(data, peer, now);
            } catch (RuntimeException e) {
                log(true, "relayed datagram handling failed: {}", e.toString());
            }
        }
    }

    /** A line with the call's sid in the logging context (bridge.md §10.1). */
    private void log(boolean warning, String format, Object arg) {
        MDC.put("callSid", callSid);
        try {
            if (warning) {
                LOG.warn(format, arg);
            } else {
                LOG.debug(format, arg);
            }
        } finally {
            MDC.remove("callSid");
        }
    }

    /** Sends through the relay to a peer (permission and channel bound by ice4j on first use). */
    public boolean sendRelayed(ByteBuffer data, InetSocketAddress peer) throws IOException {
        IceSocketWrapper socket = relaySocket;
        if (socket == null || closed) {
            return false;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        socket.send(new DatagramPacket(copy, copy.length, peer));
        return true;
    }

    /** Releases the allocation (Refresh with lifetime 0 by ice4j) and stops reading. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IceSocketWrapper socket = relaySocket;
        if (socket != null) {
            socket.close();
            agent.getStunStack().removeSocket(relay.getTransportAddress());
        }
        Thread reader = relayReader;
        if (reader != null) {
            reader.interrupt();
        }
        agent.getStunStack().removeSocket(host.getTransportAddress());
        stunSocket.close();
        hostSocket.close();
    }
}
