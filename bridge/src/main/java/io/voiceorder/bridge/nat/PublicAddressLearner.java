package io.voiceorder.bridge.nat;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.stack.StunStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process's public IP (bridge.md §8.1): a STUN Binding at start and every 5 minutes, from a
 * socket of its own (the SIP socket belongs to the SIP stack). A failed refresh keeps the last known
 * address and logs a warning.
 */
public final class PublicAddressLearner implements AutoCloseable {
    public static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(PublicAddressLearner.class);

    private final InetSocketAddress server;
    private final DatagramSocket socket;
    private final StunStack stack = new StunStack();
    private final TransportAddress local;
    private final ScheduledExecutorService timer;
    private volatile InetAddress current;
    private boolean closed;
    private volatile java.util.function.Consumer<InetAddress> onChange = a -> { };

    /**
     * @param bind local address of the learning socket (the bridge's --bind-address)
     * @param refresh period of the refresh (5 min in production)
     */
    public PublicAddressLearner(InetSocketAddress server, InetAddress bind, Duration refresh) throws SocketException {
        Ice4jLogging.install();
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        InetAddress localAddress = bind.isAnyLocalAddress() ? Routes.localAddressTowards(server.getAddress()) : bind;
        this.local = new TransportAddress(localAddress, socket.getLocalPort(), Transport.UDP);
        stack.addSocket(new IceUdpSocketWrapper(socket) {
            @Override
            public InetAddress getLocalAddress() {
                return local.getAddress();
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stun-public-address");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One Binding now (also used at start, synchronously). @return the public address, or the last known */
    public Optional<InetAddress> refresh() {
        try {
            InetSocketAddress mapped = StunBinding.query(stack, server, local, TIMEOUT);
            InetAddress before = current;
            current = mapped.getAddress();
            if (!current.equals(before)) {
                LOG.info("public address {} (STUN {})", current.getHostAddress(), StunBinding.hostPort(server));
                if (before != null) {
                    onChange.accept(current);
                }
            }
        } catch (NatException e) {
            LOG.warn("public address by STUN failed, keeping {}: {}",
                    current == null ? "the local address" : current.getHostAddress(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("public address by STUN failed: {}", e.toString());
        }
        return current();
    }

    /** Called (on the refresh thread) when a refresh finds a different public address. */
    public void onChange(java.util.function.Consumer<InetAddress> listener) {
        this.onChange = listener;
    }

    public Optional<InetAddress> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        stack.removeSocket(local);
        stack.shutDown();
        socket.close();
    }
}
