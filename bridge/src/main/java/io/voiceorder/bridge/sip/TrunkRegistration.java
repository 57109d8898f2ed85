package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The registration to the trunk (bridge.md §5.1) as an explicit state machine:
 * unregistered → registering → registered ⇄ refreshing, any → failed (backoff) → registering again.
 * All state lives on one scheduler thread; SIP events are handed to it, so the SIP listener never waits.
 */
public final class TrunkRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkRegistration.class);

    private final SipEndpoint endpoint;
    private final HostPort registrar;
    private final String user;
    private final DigestCredentials credentials;
    private final int requestedExpires;
    private final SipTimings timings;
    private final boolean publicAddressFixed;
    private final TrunkAddresses trunkAddresses;
    private final RegistrationEvents events;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final String callId;
    private final String fromTag;

    // confined to the registration thread
    private long cseq;
    private int expires;
    private boolean answeredChallenge;
    private int failures;
    private int authFailures;
    private int keepaliveMisses;
    private boolean optionsAnswered;
    private boolean probingRegistrar;
    private volatile boolean crlfKeepalive;
    private boolean registrarConnectionSeen;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> keepalive;
    private CountDownLatch unregistered;
    private String staleContact;
    private boolean shutdown;

    // read by /health from any thread
    private volatile RegistrationState state = RegistrationState.UNREGISTERED;
    private volatile Instant since;
    private volatile Instant expiresAt;
    private volatile String lastError;
    private volatile Instant nextAttemptAt;
    private volatile int successes;

    public TrunkRegistration(SipEndpoint endpoint, HostPort registrar, String user, Secret password, int requestedExpires,
                             SipTimings timings, boolean publicAddressFixed, TrunkAddresses trunkAddresses,
                             RegistrationEvents events, Clock clock) {
        this.endpoint = endpoint;
        this.registrar = registrar;
        this.user = user;
        this.credentials = new DigestCredentials(user, password);
        this.requestedExpires = requestedExpires;
        this.expires = requestedExpires;
        this.timings = timings;
        this.publicAddressFixed = publicAddressFixed;
        this.trunkAddresses = trunkAddresses;
        this.events = events;
        this.clock = clock;
        this.since = clock.instant();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-registration");
            t.setDaemon(true);
            return t;
        });
        this.callId = endpoint.provider().getNewCallId().getCallId();
        this.fromTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    public void start() {
        thread.execute(() -> {
            transition(RegistrationState.REGISTERING);
            register();
        });
    }

    public RegistrationSnapshot snapshot() {
        return new RegistrationSnapshot(registrar.host(), "sip:" + user + "@" + registrar.host(), state,
                Optional.ofNullable(expiresAt), since, Optional.ofNullable(lastError), Optional.ofNullable(nextAttemptAt),
                successes, crlfKeepalive ? "crlf" : "options");
    }

    /** The URI of the registrar, {@code sip:HOST[:PORT]}. */
    public String registrarUri() {
        return "sip:" + registrar.host() + (registrar.port() == 5060 ? "" : ":" + registrar.port());
    }

    /**
     * Removes our Contact at the registrar (Expires 0, one digest round), waiting at most the timings' budget.
     * Afterwards the state is {@code unregistered} whatever the registrar said.
     */
    public void unregister() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        thread.execute(() -> {
            shutdown = true;
            cancelTimers();
            unregistered = done;
            if (!state.registered()) {
                transition(RegistrationState.UNREGISTERED);
                done.countDown();
                return;
            }
            answeredChallenge = false;
            send(0, null);
        });
        done.await(timings.unregisterBudget().toMillis(), TimeUnit.MILLISECONDS);
        thread.execute(() -> transition(RegistrationState.UNREGISTERED));
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- registration thread ----

    private void register() {
        if (shutdown) {
            return;
        }
        nextAttemptAt = null;
        answeredChallenge = false;
        try {
            trunkAddresses.resolve();
        } catch (UnknownHostException e) {
            failed("REGISTER " + registrar.host() + ": cannot resolve " + registrar.host(), "error", false);
            return;
        }
        send(expires, null);
    }

    private void send(int requestExpires, AuthorizationHeader authorization) {
        try {
            Request request = buildRegister(requestExpires);
            if (authorization != null) {
                request.setHeader(authorization);
            }
            endpoint.send(request, new SipEndpoint.ResponseHandler() {
                @Override
                public void onResponse(ResponseEvent event) {
                    thread.execute(() -> handle(event, requestExpires));
                }

                @Override
                public void onTimeout() {
                    thread.execute(() -> timedOut(requestExpires));
                }
            });
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            if (requestExpires == 0) {
                releaseUnregister();
                return;
            }
            failed("REGISTER " + registrar.host() + ": " + e.getMessage(), "error", false);
        }
    }

    private Request buildRegister(int requestExpires) throws ParseException, SipException, InvalidArgumentException {
        var headers = SipFactories.HEADERS;
        var addresses = SipFactories.ADDRESSES;
        SipURI requestUri = (SipURI) addresses.createURI(registrarUri() + endpoint.uriTransportSuffix());
        Address aor = addresses.createAddress("sip:" + user + "@" + registrar.host());
        FromHeader from = headers.createFromHeader(aor, fromTag);
        ToHeader to = headers.createToHeader(aor, null);
        CallIdHeader callIdHeader = headers.createCallIdHeader(callId);
        CSeqHeader cseqHeader = headers.createCSeqHeader(++cseq, Request.REGISTER);
        ViaHeader via = headers.createViaHeader(endpoint.advertisedHost(), endpoint.advertisedPort(), endpoint.transport(), null);
        via.setRPort();
        Request request = SipFactories.MESSAGES.createRequest(requestUri, Request.REGISTER, callIdHeader, cseqHeader, from, to,
                List.of(via), headers.createMaxForwardsHeader(70));
        ContactHeader contact = headers.createContactHeader(addresses.createAddress(contactUri()));
        contact.setExpires(requestExpires);
        request.addHeader(contact);
        if (staleContact != null && requestExpires > 0) {
            // a NAT rebinding moved us: the old Contact goes in the same request (bridge.md §5.1)
            ContactHeader old = headers.createContactHeader(addresses.createAddress(staleContact));
            old.setExpires(0);
            request.addHeader(old);
        }
        request.setHeader(headers.createExpiresHeader(requestExpires));
        return request;
    }

    private String contactUri() {
        return "sip:" + user + "@" + endpoint.advertisedHost() + ":" + endpoint.advertisedPort() + endpoint.uriTransportSuffix();
    }

    private void handle(ResponseEvent event, int requestExpires) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        trunkAddresses.addResponder(sourceOf(response));
        if (requestExpires == 0) {
            if ((status == 401 || status == 407) && !answeredChallenge) {
                answerChallenge(response, 0);
                return;
            }
            LOG.info("trunk registration removed at {} ({} {})", registrar.host(), status, response.getReasonPhrase());
            releaseUnregister();
            return;
        }
        if (status >= 200 && status < 300) {
            registered(response, requestExpires);
            return;
        }
        String error = "REGISTER " + registrar.host() + ": " + status + " " + response.getReasonPhrase();
        if (status == 401 || status == 407) {
            WWWAuthenticateHeader challenge = challengeOf(response);
            boolean stale = challenge != null && challenge.getParameter("stale") != null
                    && challenge.getParameter("stale").equalsIgnoreCase("true");
            if (challenge == null || (answeredChallenge && !stale)) {
                failed(error + " (credentials refused: check SIP_USERNAME and SIP_PASSWORD)", "auth_failed", true);
                return;
            }
            answerChallenge(response, requestExpires);
            return;
        }
        if (status == 423) {
            MinExpiresHeader min = (MinExpiresHeader) response.getHeader(MinExpiresHeader.NAME);
            if (min != null && min.getExpires() > requestExpires) {
                expires = min.getExpires();
                answeredChallenge = false;
                send(expires, null);
                return;
            }
        }
        if (status == 403 || status == 404) {
            failed(error + " (check SIP_USERNAME and SIP_PASSWORD)", "auth_failed", true);
            return;
        }
        if (status == 503 && response.getHeader(RetryAfterHeader.NAME) instanceof RetryAfterHeader retry
                && retry.getRetryAfter() > 0) {
            failedWithDelay(error, "error", Duration.ofSeconds(Math.min(300, retry.getRetryAfter())));
            return;
        }
        failed(error, status == 408 ? "timeout" : "error", false);
    }

    private void answerChallenge(Response response, int requestExpires) {
        WWWAuthenticateHeader challenge = challengeOf(response);
        if (challenge == null) {
            failed("REGISTER " + registrar.host() + ": " + response.getStatusCode() + " without a challenge", "error", false);
            return;
        }
        try {
            AuthorizationHeader authorization = credentials.answer(challenge, Request.REGISTER, registrarUri(),
                    SipFactories.HEADERS);
            answeredChallenge = true;
            send(requestExpires, authorization);
        } catch (ParseException e) {
            failed("REGISTER " + registrar.host() + ": " + e.getMessage(), "auth_failed", true);
        }
    }

    private static WWWAuthenticateHeader challengeOf(Response response) {
        Object header = response.getStatusCode() == 407
                ? response.getHeader(javax.sip.header.ProxyAuthenticateHeader.NAME)
                : response.getHeader(javax.sip.header.WWWAuthenticateHeader.NAME);
        return header instanceof WWWAuthenticateHeader w ? w : null;
    }

    private void registered(Response response, int requestExpires) {
        int granted = grantedExpiry(response, requestExpires);
        events.onOutcome("ok");
        failures = 0;
        authFailures = 0;
        lastError = null;
        successes++;
        staleContact = null;
        expiresAt = clock.instant().plusSeconds(granted);
        if (state != RegistrationState.REGISTERED && state != RegistrationState.REFRESHING) {
            LOG.info("registered to {} as {} (expires in {} s, contact {})", registrar.host(), user, granted, contactUri());
        } else {
            LOG.debug("registration to {} refreshed (expires in {} s)", registrar.host(), granted);
        }
        transition(RegistrationState.REGISTERED);
        events.onRegistered(true);
        if (probingRegistrar) {
            probingRegistrar = false;
            crlfKeepalive = true;
            LOG.info("{} does not answer OPTIONS while REGISTER works: CRLF keepalives from now on", registrar.host());
        }
        if (natRebound(response)) {
            return;
        }
        schedule(Duration.ofMillis(granted * 750L), () -> {
            transition(RegistrationState.REFRESHING);
            register();
        });
        startKeepalive();
    }

    /** Contact expires of our binding in the 200, else Expires, else what we asked for. */
    private int grantedExpiry(Response response, int requested) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        String ours = contactUri();
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            String uri = c.getAddress().getURI().toString();
            if (uri.equals(ours) || uri.startsWith(ours + ";") || uri.startsWith("sip:" + user + "@" + endpoint.advertisedHost())) {
                if (c.getExpires() > 0) {
                    return c.getExpires();
                }
            }
        }
        ExpiresHeader expiresHeader = response.getExpires();
        if (expiresHeader != null && expiresHeader.getExpires() > 0) {
            return expiresHeader.getExpires();
        }
        return requested;
    }

    /**
     * rport/received of a REGISTER's 200 or of a keepalive's response showing another address than advertised: correct
     * the Contact and REGISTER again at once, the old Contact removed in the same request.
     */
    private boolean natRebound(Response response) {
        Optional<HostPort> seen = seenAt(response);
        if (seen.isEmpty()) {
            return false;
        }
        String host = seen.get().host();
        int port = seen.get().port();
        LOG.info("registrar sees us at {}:{} (advertised {}:{}): correcting the Contact", host, port,
                endpoint.advertisedHost(), endpoint.advertisedPort());
        staleContact = contactUri();
        endpoint.advertise(host, port);
        register();
        return true;
    }

    /** The address the registrar saw our request come from, by the response's Via, when it is not the advertised one. */
    private Optional<HostPort> seenAt(Response response) {
        if (publicAddressFixed) {
            return Optional.empty();
        }
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via == null) {
            return Optional.empty();
        }
        String received = via.getReceived();
        // over TCP rport is the ephemeral source port of our connection, never where we listen: only the host counts
        int rport = endpoint.transport().equals("tcp") ? -1 : via.getRPort();
        String host = received != null ? received : endpoint.advertisedHost();
        int port = rport > 0 ? rport : endpoint.advertisedPort();
        if (host.equals(endpoint.advertisedHost()) && port == endpoint.advertisedPort()) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(host, port));
    }

    private void timedOut(int requestExpires) {
        if (requestExpires == 0) {
            releaseUnregister();
            return;
        }
        failed("REGISTER " + registrar.host() + ": no answer (timeout)", "timeout", false);
    }

    private void failed(String error, String outcome, boolean authentication) {
        Duration delay;
        if (authentication) {
            authFailures++;
            delay = timings.authBackoff(authFailures);
        } else {
            failures++;
            delay = timings.backoff(failures, ThreadLocalRandom.current().nextDouble());
        }
        failedWithDelay(error, outcome, delay);
    }

    private void failedWithDelay(String error, String outcome, Duration delay) {
        if (shutdown) {
            return;
        }
        probingRegistrar = false;
        optionsAnswered = false;
        events.onOutcome(outcome);
        events.onRegistered(false);
        lastError = error;
        expiresAt = null;
        LOG.warn("trunk registration failed: {}; retrying in {} s", error, delay.toMillis() / 1000.0);
        transition(RegistrationState.FAILED);
        stopKeepalive();
        nextAttemptAt = clock.instant().plus(delay);
        schedule(delay, this::register);
    }

    private void startKeepalive() {
        if (keepalive != null) {
            return;
        }
        // TCP: the REGISTER connection is kept alive with CRLF pings (RFC 5626 §4.4.1), never OPTIONS
        crlfKeepalive = crlfKeepalive || endpoint.transport().equals("tcp");
        keepaliveMisses = 0;
        long every = timings.keepaliveInterval().toMillis();
        keepalive = thread.scheduleAtFixedRate(this::sendKeepalive, every, every, TimeUnit.MILLISECONDS);
    }

    private void stopKeepalive() {
        if (keepalive != null) {
            keepalive.cancel(false);
            keepalive = null;
        }
    }

    private void sendKeepalive() {
        if (!state.registered()) {
            return;
        }
        if (crlfKeepalive) {
            boolean connected = endpoint.connectedTo(trunkAddresses.any(), registrar.port());
            // only a connection seen open can be lost: never a REGISTER loop when the stack connected elsewhere
            boolean lost = registrarConnectionSeen && !connected;
            registrarConnectionSeen = connected;
            if (lost) {
                // TCP: the registrar reaches us over the REGISTER's connection; without it, REGISTER again (§5.1)
                LOG.info("connection to {} lost: registering again", registrar.host());
                cancelTimers();
                transition(RegistrationState.REFRESHING);
                register();
                return;
            }
            try {
                endpoint.heartbeat(trunkAddresses.any(), registrar.port());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("CRLF keepalive not sent: {}", e.toString());
            }
            return;
        }
        boolean[] answered = {false};
        try {
            var headers = SipFactories.HEADERS;
            var addresses = SipFactories.ADDRESSES;
            Address aor = addresses.createAddress("sip:" + user + "@" + registrar.host());
            ViaHeader via = headers.createViaHeader(endpoint.advertisedHost(), endpoint.advertisedPort(), endpoint.transport(), null);
            via.setRPort();
            Request options = SipFactories.MESSAGES.createRequest(addresses.createURI(registrarUri()), Request.OPTIONS,
                    endpoint.provider().getNewCallId(), headers.createCSeqHeader(1L, Request.OPTIONS),
                    headers.createFromHeader(aor, Long.toHexString(ThreadLocalRandom.current().nextLong())),
                    headers.createToHeader(addresses.createAddress(registrarUri()), null), List.of(via),
                    headers.createMaxForwardsHeader(70));
            endpoint.send(options, new SipEndpoint.ResponseHandler() {
                @Override
                public void onResponse(ResponseEvent event) {
                    thread.execute(() -> {
                        answered[0] = true;
                        optionsAnswered = true;
                        keepaliveMisses = 0;
                        // any response re-checks received/rport: a NAT rebinding is fixed within one keepalive (§5.1)
                        if (state == RegistrationState.REGISTERED && seenAt(event.getResponse()).isPresent()) {
                            transition(RegistrationState.REFRESHING);
                            natRebound(event.getResponse());
                        }
                    });
                }

                @Override
                public void onTimeout() {
                }
            });
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.debug("keepalive OPTIONS not sent: {}", e.toString());
        }
        thread.schedule(() -> {
            if (answered[0] || !state.registered()) {
                return;
            }
            keepaliveMisses++;
            LOG.debug("keepalive OPTIONS to {} unanswered ({} in a row)", registrar.host(), keepaliveMisses);
            if (!optionsAnswered) {
                // never answered since registering: a REGISTER tells a dead registrar from one that ignores OPTIONS
                if (keepaliveMisses >= 3 && !probingRegistrar) {
                    probingRegistrar = true;
                    cancelTimers();
                    transition(RegistrationState.REFRESHING);
                    register();
                }
                return;
            }
            if (keepaliveMisses >= 2) {
                cancelTimers();
                failed("keepalive: " + registrar.host() + " does not answer OPTIONS", "timeout", false);
            }
        }, timings.keepaliveTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void releaseUnregister() {
        transition(RegistrationState.UNREGISTERED);
        events.onRegistered(false);
        if (unregistered != null) {
            unregistered.countDown();
        }
    }

    private void schedule(Duration delay, Runnable task) {
        if (next != null) {
            next.cancel(false);
        }
        next = thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        stopKeepalive();
    }

    private void transition(RegistrationState to) {
        if (state != to) {
            if (!(state == RegistrationState.REGISTERED && to == RegistrationState.REFRESHING)
                    && !(state == RegistrationState.REFRESHING && to == RegistrationState.REGISTERED)) {
                since = clock.instant();
            }
            state = to;
        }
    }

    private static String sourceOf(Response response) {
        if (response instanceof gov.nist.javax.sip.message.SIPResponse r && r.getPeerPacketSourceAddress() != null) {
            return r.getPeerPacketSourceAddress().getHostAddress();
        }
        return null;
    }
}
