package io.voiceorder.bridge.rtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread reading every call's RTP and RTCP sockets through a selector, stamping each datagram
 * with its arrival time (for jitter) and handing it to the socket's sink. Datagrams longer than
 * {@link #MAX_DATAGRAM} are handed on empty, which RTP/RTCP validation rejects as malformed.
 */
public final class DatagramReceiver implements AutoCloseable {
    public static final int MAX_DATAGRAM = 2048;
    private static final int MAX_PER_WAKEUP = 64;
    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    /** Receives the datagrams of one socket, on the receiver thread. */
    @FunctionalInterface
    public interface Sink {
        /** @param data the datagram between position and limit; only valid during the call */
        void onDatagram(ByteBuffer data, InetSocketAddress source, long arrivalNanos);
    }

    private final Selector selector;
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM + 1);
    private final Thread thread;
    private volatile boolean running = true;

    public DatagramReceiver() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector for RTP", e);
        }
        thread = new Thread(this::loop, "media-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading a (non-blocking) channel; closing the channel stops it. */
    public void register(DatagramChannel channel, Sink sink) {
        changes.add(() -> {
            try {
                channel.register(selector, SelectionKey.OP_READ, sink);
            } catch (ClosedChannelException e) {
                // Closed before the thread got to it: the call already ended.
            }
        });
        selector.wakeup();
    }

    private void loop() {
        while (running) {
            try {
                selector.select(200);
                Runnable change;
                while ((change = changes.poll()) != null) {
                    change.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable()) {
                        drain((DatagramChannel) key.channel(), (Sink) key.attachment());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("RTP receive loop: {}", e.toString(), e);
            }
        }
    }

    private void drain(DatagramChannel channel, Sink sink) {
        for (int i = 0; i < MAX_PER_WAKEUP; i++) {
            buffer.clear();
            SocketAddress source;
            try {
                source = channel.receive(buffer);
            } catch (IOException e) {
                // ICMP port unreachable from an earlier send, or the channel closed under us.
                return;
            }
            if (source == null) {
                return;
            }
            long now = System.nanoTime();
            buffer.flip();
            if (buffer.remaining() > MAX_DATAGRAM) {
                // Oversized: handed on empty, so validation rejects and counts it.
                buffer.limit(buffer.position());
            }
            try {
                sink.onDatagram(buffer, (InetSocketAddress) source, now);
            } catch (RuntimeException e) {
                LOG.warn("RTP datagram handling failed: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(1000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("selector close: {}", e.toString());
        }
    }
}
