package io.voiceorder.bridge.sip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JAIN-SIP router (installed through {@code javax.sip.ROUTER_PATH}) that sends every request of a device's call to
 * the address the device's signalling came from (bridge.md §5.2: requests to a device go to its binding's source,
 * whatever private address its Contact shows, so BYE and ACK cross its NAT). Other requests take the stack's
 * default route. The stack instantiates this class itself, so the per-call addresses live in a table keyed by
 * stack name.
 */
public final class DialogRoutes implements Router {
    private static final Map<String, Map<String, Hop>> TABLES = new ConcurrentHashMap<>();

    private final DefaultRouter fallback;
    private final Map<String, Hop> byCallId;

    public DialogRoutes(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
        this.byCallId = TABLES.computeIfAbsent(stack.getStackName(), name -> new ConcurrentHashMap<>());
    }

    static void route(String stackName, String callId, String host, int port, String transport) {
        TABLES.computeIfAbsent(stackName, name -> new ConcurrentHashMap<>()).put(callId, new HopImpl(host, port, transport));
    }

    static void forget(String stackName, String callId) {
        Map<String, Hop> table = TABLES.get(stackName);
        if (table != null) {
            table.remove(callId);
        }
    }

    static void drop(String stackName) {
        TABLES.remove(stackName);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        Hop hop = callId == null ? null : byCallId.get(callId.getCallId());
        return hop != null ? hop : fallback.getNextHop(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return fallback.getOutboundProxy();
    }

    @Override
    @SuppressWarnings({"rawtypes", "deprecation"})
    public ListIterator getNextHops(Request request) {
        return fallback.getNextHops(request);
    }
}
