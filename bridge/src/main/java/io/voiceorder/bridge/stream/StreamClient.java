package io.voiceorder.bridge.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.FastThreadLocalThread;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the per-call WebSockets to serve (bridge.md §7.1) on Netty: one shared event loop for every call's
 * socket, the signed upgrade when a secret is set, {@code User-Agent: VoiceOrder-Bridge}, connect + TLS +
 * upgrade within 2 s. {@code connected} is queued as soon as the upgrade succeeds.
 */
public final class StreamClient implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final String USER_AGENT = "VoiceOrder-Bridge";
    /**
     * One I/O thread carries every call's socket: at 500 calls the whole bridge uses 0.7-0.8 of a core
     * (bench/bridge.sh, run E), and a second one would mostly compete with the pacer and the RTP receiver.
     */
    private static final int IO_THREADS = 1;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private final String accountSid;
    private final String secret;
    private final URI defaultTarget;
    private final String signatureUrl;
    private final StreamMetrics metrics;
    private volatile SslContext tls;

    /**
     * @param secret media-stream secret, or null for unsigned upgrades
     * @param signatureUrl URL signed for the default target instead of the dialled one, or null
     */
    public StreamClient(String accountSid, String secret, URI defaultTarget, String signatureUrl, StreamMetrics metrics) {
        this.group = new MultiThreadIoEventLoopGroup(IO_THREADS, ioThreads(), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                // Our own 2 s budget covers connect, TLS and upgrade; this one only bounds the connect.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis() + 500);
        this.accountSid = accountSid;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.defaultTarget = defaultTarget;
        this.signatureUrl = signatureUrl == null || signatureUrl.isBlank() ? null : signatureUrl;
        this.metrics = metrics;
    }

    public URI defaultTarget() {
        return defaultTarget;
    }

    /** The URL an upgrade to this target signs. */
    public String signedUrlFor(URI target) {
        if (signatureUrl != null && target.equals(defaultTarget)) {
            return signatureUrl;
        }
        return UpgradeSignature.signedUrl(target);
    }

    /**
     * Opens a stream for a call; completes with the connection (with {@code connected} queued), or
     * exceptionally with a {@link StreamConnectException} within about 2 s.
     */
    public CompletableFuture<StreamConnection> connect(String callSid, URI target, StreamHandler handler) {
        CompletableFuture<StreamConnection> result = new CompletableFuture<>();
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss");
        String host = target.getHost();
        if (!(secure || scheme.equals("ws")) || host == null) {
            metrics.connect("refused");
            result.completeExceptionally(new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                    "invalid WebSocket target: " + target, null));
            return result;
        }
        int port = target.getPort() != -1 ? target.getPort() : secure ? 443 : 80;
        HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        if (secret != null) {
            headers.set(UpgradeSignature.HEADER, UpgradeSignature.sign(secret, signedUrlFor(target)));
        }
        StreamConnection connection = new StreamConnection(callSid, accountSid, metrics, handler, allocator);
        EventLoop loop = group.next();
        Opening opening = new Opening(connection, result);
        try {
            loop.schedule(opening::timedOut, CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            opening.failed(new IOException("the stream client is closed", e));
            return result;
        }
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        ChannelInitializer<SocketChannel> pipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) throws SSLException {
                if (secure) {
                    ch.pipeline().addLast("tls", tls().newHandler(ch.alloc(), bareHost, port));
                }
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("upgrade", new UpgradeHandler(new StreamHandshaker(target, headers),
                        connection.frameHandler(), opening));
            }
        };
        resolve(bareHost, port).whenComplete((address, error) -> {
            try {
                loop.execute(() -> opening.connect(bootstrap.clone(loop).handler(pipeline), address, error));
            } catch (RejectedExecutionException e) {
                opening.failed(new IOException("the stream client is closed", e));
            }
        });
        return result;
    }

    /** Closes every stream's socket and stops the I/O thread (the process is ending). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** An IP literal at once; a name off the I/O thread, so a slow DNS answer never stalls the other calls. */
    private static CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return CompletableFuture.completedFuture(new InetSocketAddress(host, port));
        }
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port));
    }

    private SslContext tls() throws SSLException {
        SslContext context = tls;
        if (context == null) {
            synchronized (this) {
                if (tls == null) {
                    tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                }
                context = tls;
            }
        }
        return context;
    }

    private static ThreadFactory ioThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new FastThreadLocalThread(runnable, "stream-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One connect attempt: the first of upgrade, failure and the 2 s deadline decides it. Connect, upgrade and
     * deadline all run on the channel's event loop, so none of them can judge a state the others are changing;
     * only a name lookup that fails reports from elsewhere.
     */
    private final class Opening implements UpgradeHandler.Outcome {
        private final StreamConnection connection;
        private final CompletableFuture<StreamConnection> result;
        private final AtomicBoolean settled = new AtomicBoolean();
        /** The socket being opened, once the connect has started (event loop only). */
        private Channel channel;

        Opening(StreamConnection connection, CompletableFuture<StreamConnection> result) {
            this.connection = connection;
            this.result = result;
        }

        /** Starts the connect, unless the name lookup failed or the deadline has passed. Event loop. */
        void connect(Bootstrap bootstrap, InetSocketAddress address, Throwable lookupError) {
            if (lookupError != null) {
                failed(lookupError);
                return;
            }
            if (settled.get()) {
                return;
            }
            ChannelFuture connecting = bootstrap.connect(address);
            channel = connecting.channel();
            connecting.addListener(connected -> {
                if (!connected.isSuccess()) {
                    failed(connected.cause());
                }
            });
        }

        @Override
        public void upgraded(Channel ch) {
            if (!settled.compareAndSet(false, true)) {
                // The 2 s budget ran out first; the call no longer waits for this socket.
                ch.close();
                return;
            }
            metrics.connect("ok");
            connection.attach(ch);
            connection.sendConnected();
            result.complete(connection);
        }

        @Override
        public void failed(Throwable error) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            StreamConnectException failure = classify(error);
            metrics.connect(failure.kind().name().toLowerCase(Locale.ROOT));
            result.completeExceptionally(failure);
        }

        /** The deadline, on the event loop. */
        void timedOut() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            metrics.connect("timeout");
            result.completeExceptionally(new StreamConnectException(StreamConnectException.Kind.TIMEOUT, 0,
                    "serve did not complete the upgrade within 2 s", null));
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static StreamConnectException classify(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof UpgradeHandler.RejectedException rejected) {
            int status = rejected.status();
            String hint = (status == 401 || status == 403) ? " (check MEDIA_STREAM_SECRET)" : "";
            return new StreamConnectException(StreamConnectException.Kind.REJECTED, status,
                    "serve refused the upgrade with HTTP " + status + hint, cause);
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException || cause instanceof TimeoutException) {
            return new StreamConnectException(StreamConnectException.Kind.TIMEOUT, 0,
                    "serve did not complete the upgrade within 2 s", cause);
        }
        if (cause instanceof ConnectException) {
            return new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                    "serve refused the connection", cause);
        }
        return new StreamConnectException(StreamConnectException.Kind.REFUSED, 0,
                "WebSocket to serve failed: " + cause, cause);
    }
}
