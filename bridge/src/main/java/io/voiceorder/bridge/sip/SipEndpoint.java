package io.voiceorder.bridge.sip;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.ResponseEventExt;
import io.voiceorder.bridge.guard.SourceGuard;
import io.voiceorder.bridge.guard.StackGuards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.AllowHeader;
import javax.sip.header.ServerHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.text.ParseException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The bridge's one JAIN-SIP stack and listening point ({@code --bind-address}:{@code --sip-port},
 * {@code --sip-transport}), with no automatic dialogs and a 64 KiB message cap. Incoming requests go to
 * the {@link RequestHandler}; responses and timeouts of our requests go to the {@link ResponseHandler}
 * attached to their client transaction. An exception on one message is logged, never fatal. A {@link SourceGuard}
 * filters what comes in ahead of the parser and before any transaction (see {@link StackGuards}).
 */
public final class SipEndpoint implements SipListener, AutoCloseable {
    public static final String PRODUCT = "VoiceOrder-Bridge";
    public static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE";
    private static final Logger LOG = LoggerFactory.getLogger(SipEndpoint.class);
    private static final int MAX_FORK_TIME_SECONDS = 32;

    /** Incoming requests, on the stack's thread; must not block. */
    public interface RequestHandler {
        void onRequest(RequestEvent event);
    }

    /** The outcome of one of our requests, on the stack's thread; must not block. */
    public interface ResponseHandler {
        void onResponse(ResponseEvent event);

        void onTimeout();
    }

    private final SipStack stack;
    private final ListeningPoint listeningPoint;
    private final SipProvider provider;
    private final String transport;
    private final String stackName;
    private volatile String advertisedHost;
    private volatile int advertisedPort;
    private volatile String advertisedFrom = "local";
    private volatile RequestHandler requests = event -> { };

    private SipEndpoint(SipStack stack, ListeningPoint listeningPoint, SipProvider provider, String transport,
                        String advertisedHost, String stackName) {
        this.stack = stack;
        this.stackName = stackName;
        this.listeningPoint = listeningPoint;
        this.provider = provider;
        this.transport = transport;
        this.advertisedHost = advertisedHost;
        this.advertisedPort = listeningPoint.getPort();
    }

    /**
     * Starts the stack and its listening point.
     *
     * @param port 0 = a free port of the bind address
     */
    public static SipEndpoint start(String bindAddress, int port, String transport, String advertisedHost,
                                    boolean traceMessages, List<String> secrets) throws SipException, IOException {
        return start(bindAddress, port, transport, advertisedHost, traceMessages, secrets, null);
    }

    /**
     * Starts the stack and its listening point with {@code guard} filtering what comes in (bridge.md §9.2, §9.5).
     *
     * @param port  0 = a free port of the bind address
     * @param guard null = no source filtering
     */
    public static SipEndpoint start(String bindAddress, int port, String transport, String advertisedHost,
                                    boolean traceMessages, List<String> secrets, SourceGuard guard)
            throws SipException, IOException {
        CommonLogger.useLegacyLogger = true;
        CommonLogger.legacyLogger = new Slf4jStackLogger();
        secrets.forEach(SipTraceLogger::addSecret);
        int chosen = port != 0 ? port : freePort(bindAddress, transport);
        Properties p = new Properties();
        String stackName = "voiceorder-bridge-" + UUID.randomUUID();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.ROUTER_PATH", DialogRoutes.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", SipTraceLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", traceMessages ? "16" : "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // a 200 from another fork of our INVITE gets a dialog of its own and reaches the INVITE's handler, which ACKs
        // and BYEs it (bridge.md §5.5 step 8), until 64×T1 after the INVITE transaction ends (RFC 6026's Timer M).
        // The stack absorbs a fork's 200 that arrives while the answered transaction is being removed (≈ T1);
        // the fork's retransmission of that 200 (RFC 3261 §13.3.1.4) is then delivered.
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", String.valueOf(MAX_FORK_TIME_SECONDS));
        if (guard != null) {
            StackGuards.install(p, stackName, guard);
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipStack stack;
        try {
            stack = factory.createSipStack(p);
        } catch (SipException | RuntimeException e) {
            StackGuards.remove(stackName);
            throw e;
        }
        try {
            ListeningPoint lp = stack.createListeningPoint(bindAddress, chosen, transport);
            if (lp instanceof ListeningPointExt ext) {
                ext.setSentBy(advertisedHost + ":" + chosen);
            }
            SipProvider provider = stack.createSipProvider(lp);
            SipEndpoint endpoint = new SipEndpoint(stack, lp, provider, transport, advertisedHost, stackName);
            provider.addSipListener(endpoint);
            stack.start();
            return endpoint;
        } catch (SipException | ParseException | javax.sip.InvalidArgumentException | java.util.TooManyListenersException
                 | RuntimeException e) {
            stack.stop();
            StackGuards.remove(stackName);
            if (e instanceof SipException se) {
                throw se;
            }
            throw new SipException("SIP stack could not start on " + bindAddress + ":" + chosen + "/" + transport + ": "
                    + e.getMessage(), e);
        }
    }

    private static int freePort(String bindAddress, String transport) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (DatagramSocket udp = new DatagramSocket(0, address)) {
                port = udp.getLocalPort();
            }
            if (!transport.equals("tcp")) {
                return port;
            }
            try (ServerSocket tcp = new ServerSocket(port, 1, address)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free SIP port on " + bindAddress);
    }

    public void onRequests(RequestHandler handler) {
        this.requests = handler;
    }

    public SipProvider provider() {
        return provider;
    }

    public String transport() {
        return transport;
    }

    public int localPort() {
        return listeningPoint.getPort();
    }

    public String bindAddress() {
        return listeningPoint.getIPAddress();
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    public int advertisedPort() {
        return advertisedPort;
    }

    /** How the advertised address was found: {@code local}, {@code public-address}, {@code stun} or {@code rport}. */
    public String advertisedFrom() {
        return advertisedFrom;
    }

    public void advertisedFrom(String how) {
        this.advertisedFrom = how;
    }

    /** A NAT binding learnt from rport/received: Contact and Via use it from now on. */
    public void advertise(String host, int port) {
        this.advertisedHost = host;
        this.advertisedPort = port;
        this.advertisedFrom = "rport";
        if (listeningPoint instanceof ListeningPointExt ext) {
            try {
                ext.setSentBy(host + ":" + port);
            } catch (ParseException e) {
                LOG.warn("cannot advertise {}:{}: {}", host, port, e.getMessage());
            }
        }
    }

    /** A CRLF keepalive (RFC 5626 §4.4.1) from the SIP socket to {@code host:port}. */
    public void heartbeat(String host, int port) throws IOException {
        if (listeningPoint instanceof ListeningPointExt ext) {
            ext.sendHeartbeat(host, port);
        }
    }

    /** Every request of the call {@code callId} goes to {@code host:port} (a device's NAT binding), whatever its URI says. */
    public void routeCall(String callId, String host, int port) {
        DialogRoutes.route(stackName, callId, host, port, transport);
    }

    public void forgetCallRoute(String callId) {
        DialogRoutes.forget(stackName, callId);
    }

    /**
     * Whether the stack holds an open TCP connection to {@code host:port}; always true over UDP. The stack drops a
     * connection the peer closed without telling the listener, so this is how a lost connection is noticed.
     */
    public boolean connectedTo(String host, int port) {
        if (!transport.equals("tcp") || !(stack instanceof gov.nist.javax.sip.stack.SIPTransactionStack nist)) {
            return true;
        }
        // a negative keepalive timeout keeps the stack's own keepalive timer off; the result says whether the connection exists
        return nist.setKeepAliveTimeout(listeningPoint.getIPAddress(), listeningPoint.getPort(), transport, host, port, -1);
    }

    /** {@code ;transport=tcp} for TCP URIs, nothing for UDP. */
    public String uriTransportSuffix() {
        return transport.equals("tcp") ? ";transport=tcp" : "";
    }

    /** Sends {@code request} in a new client transaction whose outcome goes to {@code handler}. */
    public ClientTransaction send(Request request, ResponseHandler handler) throws SipException {
        request.setHeader(userAgent());
        ClientTransaction transaction = provider.getNewClientTransaction(request);
        transaction.setApplicationData(handler);
        transaction.sendRequest();
        return transaction;
    }

    /** Answers a request statelessly or in its transaction when it has one. */
    public void respond(RequestEvent event, ServerTransaction transaction, Response response) {
        try {
            response.setHeader(server());
            if (transaction != null) {
                transaction.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.debug("cannot answer {}: {}", event.getRequest().getMethod(), e.toString());
        }
    }

    public Response response(int status, Request request) {
        try {
            return SipFactories.MESSAGES.createResponse(status, request);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("status " + status, e);
        }
    }

    public AllowHeader[] allow() {
        try {
            String[] methods = ALLOW.split(", ");
            AllowHeader[] headers = new AllowHeader[methods.length];
            for (int i = 0; i < methods.length; i++) {
                headers[i] = SipFactories.HEADERS.createAllowHeader(methods[i]);
            }
            return headers;
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UserAgentHeader userAgent() {
        try {
            return SipFactories.HEADERS.createUserAgentHeader(List.of(PRODUCT));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServerHeader server() {
        try {
            return SipFactories.HEADERS.createServerHeader(List.of(PRODUCT));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            requests.onRequest(event);
        } catch (RuntimeException e) {
            LOG.warn("{} from {} failed: {}", event.getRequest().getMethod(), sourceOf(event), e.toString(), e);
            if (!event.getRequest().getMethod().equals(Request.ACK)) {
                respond(event, event.getServerTransaction(), response(Response.SERVER_INTERNAL_ERROR, event.getRequest()));
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction transaction = event.getClientTransaction();
        if (transaction == null && event instanceof ResponseEventExt forked && forked.isForkedResponse()) {
            // another fork's 200 after our INVITE transaction ended: it belongs to that INVITE's handler
            transaction = forked.getOriginalTransaction();
        }
        if (transaction == null || !(transaction.getApplicationData() instanceof ResponseHandler handler)) {
            LOG.debug("stray response {} dropped", event.getResponse().getStatusCode());
            return;
        }
        try {
            handler.onResponse(event);
        } catch (RuntimeException e) {
            LOG.warn("handling response {} failed: {}", event.getResponse().getStatusCode(), e.toString(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        if (event.getClientTransaction() != null
                && event.getClientTransaction().getApplicationData() instanceof ResponseHandler handler) {
            try {
                handler.onTimeout();
            } catch (RuntimeException e) {
                LOG.warn("handling a timeout failed: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("SIP transport error towards {}:{}", event.getHost(), event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    /** The source IP of a request, as the transport saw it. */
    public static String sourceOf(RequestEvent event) {
        if (event.getRequest() instanceof gov.nist.javax.sip.message.SIPRequest r && r.getPeerPacketSourceAddress() != null) {
            return r.getPeerPacketSourceAddress().getHostAddress();
        }
        return "?";
    }

    public static int sourcePortOf(RequestEvent event) {
        if (event.getRequest() instanceof gov.nist.javax.sip.message.SIPRequest r) {
            return r.getPeerPacketSourcePort();
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            provider.removeSipListener(this);
            stack.deleteSipProvider(provider);
            stack.deleteListeningPoint(listeningPoint);
        } catch (Exception e) {
            LOG.debug("closing the SIP listening point: {}", e.toString());
        }
        // before the stop, which can outlast the caller's patience (BridgeServer bounds it): the listening point is gone
        StackGuards.remove(stack.getStackName());
        stack.stop();
        DialogRoutes.drop(stackName);
    }
}
