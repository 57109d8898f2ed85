package io.voiceorder.bridge.rtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * RTP/RTCP port pairs from a range (bridge.md §6.2): an even port for RTP and the next for RTCP,
 * searched from a random even port upward with wrap-around, skipping pairs in use, in quarantine,
 * or held by another program. A released pair stays in quarantine for a while so stray packets of
 * the ended call cannot reach the next one.
 */
public final class PortAllocator {
    private final InetAddress bindAddress;
    private final int firstEven;
    private final int pairCount;
    private final long quarantineNanos;
    private final LongSupplier clock;
    private final Set<Integer> inUse = new HashSet<>();
    private final Map<Integer, Long> quarantinedUntil = new HashMap<>();

    public PortAllocator(InetAddress bindAddress, int low, int high, long quarantineNanos, LongSupplier clock) {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("RTP port range must be within 1-65535, low <= high: " + low + "-" + high);
        }
        this.bindAddress = bindAddress;
        this.firstEven = (low % 2 == 0) ? low : low + 1;
        int lastEven = (high % 2 == 0) ? high - 2 : high - 1;
        this.pairCount = lastEven < firstEven ? 0 : (lastEven - firstEven) / 2 + 1;
        this.quarantineNanos = quarantineNanos;
        this.clock = clock;
    }

    /** Binds the next free pair. @throws NoFreePortException when every pair is taken. */
    public synchronized PortPair allocate() throws NoFreePortException {
        if (pairCount == 0) {
            throw new NoFreePortException("the RTP port range holds no even/odd pair");
        }
        long now = clock.getAsLong();
        quarantinedUntil.values().removeIf(until -> until - now <= 0);
        int startIndex = ThreadLocalRandom.current().nextInt(pairCount);
        for (int i = 0; i < pairCount; i++) {
            int port = firstEven + 2 * ((startIndex + i) % pairCount);
            if (inUse.contains(port) || quarantinedUntil.containsKey(port)) {
                continue;
            }
            PortPair pair = tryBind(port);
            if (pair != null) {
                inUse.add(port);
                return pair;
            }
        }
        throw new NoFreePortException("no free RTP port pair in " + firstEven + "-" + (firstEven + 2 * pairCount - 1));
    }

    /** Closes the pair's sockets now; the port numbers return to the pool after the quarantine. */
    public synchronized void release(PortPair pair) {
        closeQuietly(pair.rtp());
        closeQuietly(pair.rtcp());
        if (inUse.remove(pair.rtpPort())) {
            quarantinedUntil.put(pair.rtpPort(), clock.getAsLong() + quarantineNanos);
        }
    }

    /** Pairs held by calls or in quarantine. */
    public synchronized int pairsInUse() {
        long now = clock.getAsLong();
        quarantinedUntil.values().removeIf(until -> until - now <= 0);
        return inUse.size() + quarantinedUntil.size();
    }

    public int capacity() {
        return pairCount;
    }

    private PortPair tryBind(int port) {
        DatagramChannel rtp = null;
        DatagramChannel rtcp = null;
        try {
            rtp = open(port);
            rtcp = open(port + 1);
            return new PortPair(port, rtp, rtcp);
        } catch (IOException e) {
            // Held by another program (or not bindable): try the next pair.
            closeQuietly(rtp);
            closeQuietly(rtcp);
            return null;
        }
    }

    private DatagramChannel open(int port) throws IOException {
        // IPv4 sockets: the media is IPv4 only, and sends then need no address conversion per packet.
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            channel.bind(new InetSocketAddress(bindAddress, port));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a datagram channel has nothing to flush; nothing to do.
            }
        }
    }

    /** No pair could be bound. */
    public static final class NoFreePortException extends Exception {
        public NoFreePortException(String message) {
            super(message);
        }
    }
}
