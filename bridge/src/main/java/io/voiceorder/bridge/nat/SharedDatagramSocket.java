package io.voiceorder.bridge.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The call's RTP socket as ice4j sees it. The RTP receiver owns the channel and reads it; datagrams
 * whose first byte marks STUN (0–3) or TURN ChannelData (64–79, RFC 7983) are handed here and
 * ice4j reads them with {@link #receive}; ice4j's sends leave through the same channel, so STUN, TURN
 * and RTP share one local port. The superclass socket stays unbound and unused.
 */
final class SharedDatagramSocket extends java.net.DatagramSocket {
    private static final int QUEUE = 256;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final BlockingQueue<DatagramPacket> inbound = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean closed;
    private volatile int timeoutMs;

    SharedDatagramSocket(DatagramChannel channel, InetSocketAddress local) throws SocketException {
        super((SocketAddress) null);
        this.channel = channel;
        this.local = local;
    }

    /** RFC 7983 demultiplexing: whether a datagram belongs to STUN or TURN rather than RTP/RTCP. */
    static boolean isStunOrTurn(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return false;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        return first <= 3 || (first >= 64 && first <= 79);
    }

    /** From the RTP receiver thread: a copy is queued; a full queue drops it (ice4j retransmits). */
    void offer(ByteBuffer datagram, InetSocketAddress source) {
        byte[] copy = new byte[datagram.remaining()];
        datagram.duplicate().get(copy);
        inbound.offer(new DatagramPacket(copy, copy.length, source));
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new SocketException("socket closed");
        }
        channel.send(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), p.getSocketAddress());
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        DatagramPacket next;
        try {
            int timeout = timeoutMs;
            // Polled in slices so that close() is noticed even without a timeout.
            long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : Long.MAX_VALUE;
            do {
                if (closed) {
                    throw new SocketException("socket closed");
                }
                next = inbound.poll(200, TimeUnit.MILLISECONDS);
                if (next == null && timeout > 0 && System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("no STUN/TURN datagram within " + timeout + " ms");
                }
            } while (next == null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
        int length = Math.min(next.getLength(), p.getData().length - p.getOffset());
        System.arraycopy(next.getData(), 0, p.getData(), p.getOffset(), length);
        p.setLength(length);
        p.setSocketAddress(next.getSocketAddress());
    }

    @Override
    public synchronized void setSoTimeout(int timeout) {
        timeoutMs = timeout;
    }

    @Override
    public synchronized int getSoTimeout() {
        return timeoutMs;
    }

    @Override
    public InetAddress getLocalAddress() {
        return local.getAddress();
    }

    @Override
    public int getLocalPort() {
        return local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Stops ice4j's readers; the channel itself belongs to the RTP side and stays open. */
    @Override
    public void close() {
        closed = true;
        super.close();
    }
}
