package io.voiceorder.bridge;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.voiceorder.bridge.call.CallContext;
import io.voiceorder.bridge.call.CallManager;
import io.voiceorder.bridge.call.CallRegistry;
import io.voiceorder.bridge.call.CallTimings;
import io.voiceorder.bridge.call.DialPolicy;
import io.voiceorder.bridge.call.SourceClass;
import io.voiceorder.bridge.call.SourcePolicy;
import io.voiceorder.bridge.config.DeviceAccount;
import io.voiceorder.bridge.callback.CallbackSigner;
import io.voiceorder.bridge.callback.IncomingCallback;
import io.voiceorder.bridge.callback.StatusCallbacks;
import io.voiceorder.bridge.config.BridgeConfig;
import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.NatConfig;
import io.voiceorder.bridge.guard.SourceGuard;
import io.voiceorder.bridge.nat.NatSettings;
import io.voiceorder.bridge.nat.NatTraversal;
import io.voiceorder.bridge.nat.PublicAddressLearner;
import io.voiceorder.bridge.media.MediaEngine;
import io.voiceorder.bridge.media.MediaSettings;
import io.voiceorder.bridge.metrics.BridgeMetrics;
import io.voiceorder.bridge.registrar.BindingStore;
import io.voiceorder.bridge.registrar.DeviceAuthenticator;
import io.voiceorder.bridge.registrar.DeviceQualifier;
import io.voiceorder.bridge.registrar.DeviceReachability;
import io.voiceorder.bridge.registrar.NonceService;
import io.voiceorder.bridge.registrar.Registrar;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipTimings;
import io.voiceorder.bridge.sip.SipTraceLogger;
import io.voiceorder.bridge.sip.TrunkAddresses;
import io.voiceorder.bridge.sip.TrunkRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The running bridge: SIP endpoint and trunk registration, media engine, calls, callbacks and the REST API
 * (a Micronaut context on {@code --api-bind}:{@code --api-port}). The command line starts it with a validated
 * {@link BridgeConfig}; tests start it the same way with shorter timings.
 */
public final class BridgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("voiceorder.bridge");
    /** Where device bindings are saved by default (bridge.md §5.2): {@code ./data/bridge-bindings.json}. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /** A public address (TEST-NET-1, never contacted) to find the default route's local address without a trunk. */
    private static final String ANY_PUBLIC = "192.0.2.1";

    private final BridgeConfig config;
    private final SipEndpoint sip;
    private final Optional<TrunkRegistration> registration;
    private final Optional<Registrar> registrar;
    private final Optional<DeviceQualifier> qualifier;
    private final MediaEngine media;
    private final CallManager calls;
    private final StatusCallbacks statusCallbacks;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final BridgeHealth health;
    private final CallTimings callTimings;
    private boolean closed;

    private BridgeServer(BridgeConfig config, SipEndpoint sip, Optional<TrunkRegistration> registration,
                         Optional<Registrar> registrar, Optional<DeviceQualifier> qualifier, MediaEngine media,
                         CallManager calls, StatusCallbacks statusCallbacks, ApplicationContext context, EmbeddedServer server,
                         ExecutorService pool, ScheduledExecutorService timers, BridgeHealth health, CallTimings callTimings) {
        this.config = config;
        this.sip = sip;
        this.registration = registration;
        this.registrar = registrar;
        this.qualifier = qualifier;
        this.media = media;
        this.calls = calls;
        this.statusCallbacks = statusCallbacks;
        this.context = context;
        this.server = server;
        this.pool = pool;
        this.timers = timers;
        this.health = health;
        this.callTimings = callTimings;
    }

    public static BridgeServer start(BridgeConfig config) {
        return start(config, SipTimings.standard(), CallTimings.standard(), List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4)));
    }

    /**
     * Starts everything; returns once the SIP port and the API port are bound (registration goes on in the background).
     *
     * @throws BridgeStartException when a port is taken or a part cannot start
     */
    public static BridgeServer start(BridgeConfig config, SipTimings sipTimings, CallTimings callTimings,
                                     List<Duration> callbackRetries) {
        return start(config, sipTimings, callTimings, callbackRetries, DEFAULT_DATA_DIR);
    }

    /**
     * As {@link #start(BridgeConfig, SipTimings, CallTimings, List)}, with the device bindings kept in {@code dataDir}.
     */
    public static BridgeServer start(BridgeConfig config, SipTimings sipTimings, CallTimings callTimings,
                                     List<Duration> callbackRetries, Path dataDir) {
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String registrarHost = config.sipDomain().host();
            Optional<TrunkAddresses> trunk = config.trunkMode() ? Optional.of(new TrunkAddresses(registrarHost)) : Optional.empty();
            if (trunk.isPresent()) {
                try {
                    trunk.get().resolve();
                } catch (Exception e) {
                    LOG.warn("cannot resolve {} yet (SIP_DOMAIN): registration will retry", registrarHost);
                }
            }
            String routed = localAddressTowards(config.bindAddress(), trunk.map(TrunkAddresses::any).orElse(ANY_PUBLIC));
            NatSettings natSettings = natSettings(config.nat());
            // bridge.md §8.1: the public IP by STUN, unless --public-address fixes it.
            PublicAddressLearner learner = config.publicAddress().isEmpty() && natSettings.stunServer() != null
                    ? new PublicAddressLearner(natSettings.stunServer(), InetAddress.getByName(config.bindAddress()),
                    PublicAddressLearner.REFRESH) : null;
            if (learner != null) {
                started.add(learner);
            }
            // §8.3: a loopback or private registrar is reached from the local address; a public one sees the STUN address.
            boolean remotePublic = trunk.map(t -> isPublic(t.any())).orElse(true);
            Optional<String> learned = learner != null && remotePublic
                    ? learner.refresh().map(InetAddress::getHostAddress) : Optional.empty();
            String advertised = config.publicAddress().or(() -> learned).orElse(routed);
            List<String> secrets = new ArrayList<>(List.of(config.sipPassword().reveal(), config.apiToken().reveal(),
                    config.mediaStreamSecret().reveal(), config.callbackSecret().reveal()));
            config.devices().forEach(d -> secrets.add(d.password().reveal()));
            BridgeMetrics metrics = new BridgeMetrics(registrarHost);
            // §5.3 rule 1 and §9.2: trunk, peers and bound devices are known sources; the policy is built once the
            // registrar exists, which needs the SIP endpoint the guard protects, hence the reference
            AtomicReference<SourcePolicy> policyRef = new AtomicReference<>();
            SourceGuard guard = new SourceGuard(
                    ip -> policyRef.get() != null && policyRef.get().classify(ip) != SourceClass.UNKNOWN, clock, metrics);
            SipEndpoint sip = SipEndpoint.start(config.bindAddress(), config.sipPort(), config.sipTransport(), advertised,
                    config.logLevel().equals("debug") || config.logLevel().equals("trace"), secrets, guard);
            started.add(sip);
            config.publicAddress().ifPresent(a -> sip.advertisedFrom("public-address"));
            if (learned.isPresent()) {
                sip.advertisedFrom("stun");
                learner.onChange(address -> {
                    // A later STUN answer moves Contact/Via, unless the registrar's rport already corrected them.
                    if ("stun".equals(sip.advertisedFrom())) {
                        sip.advertise(address.getHostAddress(), sip.advertisedPort());
                        sip.advertisedFrom("stun");
                    }
                });
            }
            String accountSid = accountSid(config);
            MediaEngine media = new MediaEngine(new MediaSettings(config.bindAddress(), advertised, config.rtpPortMin(),
                    config.rtpPortMax(), config.jitterBufferMs(), config.rxGainDb(), config.txGainDb(), config.vad(),
                    config.rtpTimeoutSec(), config.pacerPriority(), config.wsTarget(),
                    config.mediaStreamSecret().isSet() ? config.mediaStreamSecret().reveal() : null,
                    config.wsSignatureUrl().map(Object::toString).orElse(null), accountSid), new NatTraversal(mediaNat(natSettings, config.publicAddress().isPresent()), learner));
            started.add(media);
            metrics.bindMedia(media::stats);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService pool = Executors.newCachedThreadPool(r -> daemon(r, "bridge-call-" + threads.incrementAndGet()));
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> daemon(r, "bridge-timers"));
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(config.callbackTimeout()).executor(pool).build();
            CallbackSigner signer = new CallbackSigner(config.callbackSecret());
            StatusCallbacks statusCallbacks = new StatusCallbacks(http, config.statusCallbackUrl(), config.callbackMethod(),
                    config.callbackTimeout(), signer, timers, metrics, clock, callbackRetries);
            Optional<IncomingCallback> incoming = config.incomingCallbackUrl()
                    .map(url -> new IncomingCallback(http, url, config.callbackTimeout(), signer, metrics, clock));
            CallRegistry registry = new CallRegistry(config.maxConcurrentCalls(), clock);
            DigestCredentials credentials = new DigestCredentials(config.sipUsername().orElse(""), config.sipPassword());
            CallContext ctx = new CallContext(config, sip, media, registry, statusCallbacks, incoming, metrics, timers, pool,
                    clock, credentials, callTimings);
            Optional<Registrar> registrar = Optional.empty();
            Optional<DeviceQualifier> qualifier = Optional.empty();
            if (config.gatewayMode()) {
                // bridge.md §9.2: repeated failures from one address ban it
                Consumer<String> onAuthFailure = guard::authenticationFailed;
                BindingStore bindings = new BindingStore(dataDir, clock, pool);
                bindings.load(config.devices().stream().map(DeviceAccount::user).collect(Collectors.toSet()));
                DeviceReachability reachability = new DeviceReachability();
                registrar = Optional.of(new Registrar(sip, new DeviceAuthenticator(config.devices(), new NonceService(clock),
                        onAuthFailure), bindings, reachability, clock));
                DeviceQualifier q = new DeviceQualifier(sip, bindings, reachability, timers, DeviceQualifier.INTERVAL,
                        DeviceQualifier.ANSWER_WINDOW);
                started.add(q);
                qualifier = Optional.of(q);
                metrics.bindDevices(() -> bindings.current().size());
            }
            SourcePolicy policy = new SourcePolicy(trunk, config.allowFrom(),
                    registrar.map(r -> (java.util.function.Predicate<String>) r.bindings()::isBoundSource).orElse(ip -> false));
            policyRef.set(policy);
            CallManager calls = new CallManager(ctx, policy,
                    new DialPolicy(config.allowDial(), registrarHost, config.maxOutboundPerHour(), config.phoneNumbers(), clock),
                    registrar);
            sip.onRequests(calls);
            SipTraceLogger.callSids(registry::sidOfCallId);
            Optional<TrunkRegistration> registration = trunk.map(addresses -> new TrunkRegistration(sip, config.sipDomain(),
                    config.sipUsername().orElseThrow(), config.sipPassword(), config.sipRegTimeoutSec(), sipTimings,
                    config.publicAddress().isPresent(), addresses, metrics, clock));
            registration.ifPresent(started::add);
            BridgeHealth health = new BridgeHealth(config, accountSid, registration, registrar, registry, media, sip, calls, clock, guard);

            Map<String, Object> properties = new HashMap<>();
            properties.put("micronaut.server.host", config.apiBind());
            properties.put("micronaut.server.port", config.apiPort());
            properties.put("micronaut.server.max-request-size", 65536);
            properties.put("micronaut.server.cors.enabled", false);
            properties.put("micronaut.metrics.enabled", false);
            properties.put("micronaut.server.server-header", "VoiceOrder-Bridge");
            // Netty's default 2 s quiet period would eat most of the 3 s shutdown budget
            for (String group : List.of("micronaut.netty.event-loops.default", "micronaut.server.netty.parent",
                    "micronaut.server.netty.worker")) {
                properties.put(group + ".shutdown-quiet-period", "50ms");
                properties.put(group + ".shutdown-timeout", "500ms");
            }
            ApplicationContext context = ApplicationContext.builder()
                    .deduceEnvironment(false)
                    .environments("voiceorder-bridge")
                    .banner(false)
                    .properties(properties)
                    .singletons(config, registry, calls, health, metrics)
                    .start();
            EmbeddedServer server;
            try {
                server = context.getBean(EmbeddedServer.class);
                server.start();
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
            registration.ifPresent(TrunkRegistration::start);
            qualifier.ifPresent(DeviceQualifier::start);
            BridgeServer bridge = new BridgeServer(config, sip, registration, registrar, qualifier, media, calls, statusCallbacks,
                    context, server, pool, timers, health, callTimings);
            StartupBanner.log(config, sip, server.getPort(), accountSid);
            return bridge;
        } catch (BridgeStartException e) {
            closeAll(started);
            throw e;
        } catch (Exception e) {
            closeAll(started);
            if (causedByBind(e)) {
                throw new BridgeStartException("a port of the bridge is already in use (BRIDGE_API_PORT " + config.apiPort()
                        + ", SIP_PORT " + config.sipPort() + "): stop the other process or choose other ports.", e);
            }
            throw new BridgeStartException("the bridge could not start: " + e.getClass().getSimpleName() + " "
                    + Optional.ofNullable(e.getMessage()).orElse(""), e);
        }
    }

    /** {@code AC} + the first 32 hex digits of SHA-256("voiceorder-bridge:" + user@domain): stable across restarts. */
    static String accountSid(BridgeConfig config) {
        String identity = config.sipUsername().map(u -> u + "@" + config.sipDomain().host()
                + (config.sipDomain().port() == 5060 ? "" : ":" + config.sipDomain().port())).orElse("voiceorder");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("voiceorder-bridge:" + identity).getBytes(StandardCharsets.UTF_8));
            return "AC" + HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The NAT flags resolved to socket addresses (a TURN server that does not resolve is a start-up error). */
    static NatSettings natSettings(NatConfig nat) throws java.net.UnknownHostException {
        InetSocketAddress stun = null;
        InetSocketAddress turn = null;
        if (nat.stunServer().isPresent()) {
            HostPort hp = nat.stunServer().get();
            stun = new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        }
        if (nat.turnServer().isPresent()) {
            HostPort hp = nat.turnServer().get();
            turn = new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        }
        return new NatSettings(stun, turn, nat.turnUsername().orElse(null),
                nat.turnPassword().isSet() ? nat.turnPassword().reveal() : null, nat.noIce());
    }

    /**
     * The media side's NAT settings: --public-address means no STUN learning (bridge.md §2.2), so per-call
     * STUN is off then; a TURN relay still applies.
     */
    static NatSettings mediaNat(NatSettings nat, boolean publicAddress) {
        return publicAddress && nat.turnServer() == null ? NatSettings.NONE : nat;
    }

    /** Whether an address (or host name) is reached over the public Internet rather than loopback or a private network. */
    static boolean isPublic(String remote) {
        try {
            InetAddress a = InetAddress.getByName(remote);
            return !(a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress());
        } catch (Exception e) {
            return true;
        }
    }

    /** The local address that routes to {@code remote} (bridge.md §8.3), or the bind address when it is specific. */
    static String localAddressTowards(String bindAddress, String remote) {
        if (!bindAddress.equals("0.0.0.0")) {
            return bindAddress;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(remote), 5060));
            InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (Exception e) {
            LOG.debug("no route towards {}: {}", remote, e.toString());
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }

    public int apiPort() {
        return server.getPort();
    }

    public int sipPort() {
        return sip.localPort();
    }

    public ApplicationContext context() {
        return context;
    }

    /**
     * SIGTERM (bridge.md §5.11): new INVITEs → 503, REST → 503; live calls hung up with {@code stop} on their
     * streams; the trunk un-REGISTERed in parallel; callbacks best effort; all within the shutdown budget.
     */
    public void shutdown() {
        long started = System.nanoTime();
        health.shuttingDown(true);
        LOG.info("shutting down: hanging up live calls and un-registering");
        Thread unregister = new Thread(() -> {
            try {
                if (registration.isPresent()) {
                    registration.get().unregister();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bridge-unregister");
        unregister.start();
        long budget = callTimings.shutdownBudget().toMillis();
        calls.shutdown(Math.max(0, budget / 2));
        try {
            unregister.join(Math.max(1, budget / 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = budget - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) - 300;
        statusCallbacks.drain(Duration.ofMillis(Math.max(0, left)));
        LOG.debug("calls ended and trunk un-registered in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        close();
        LOG.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server.isRunning()) {
            server.stop();
        }
        if (context.isRunning()) {
            context.close();
        }
        registration.ifPresent(TrunkRegistration::close);
        qualifier.ifPresent(DeviceQualifier::close);
        registrar.ifPresent(r -> r.bindings().save());
        media.close();
        // JAIN-SIP's stop sleeps for its timers (seconds): bounded here so shutdown stays within its budget
        Thread sipStop = daemon(sip::close, "sip-stop");
        sipStop.start();
        try {
            sipStop.join(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        pool.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception ignored) {
                // best effort while failing to start
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
