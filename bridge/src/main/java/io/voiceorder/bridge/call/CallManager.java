package io.voiceorder.bridge.call;

import io.voiceorder.bridge.call.transfer.BridgedTransfer;
import io.voiceorder.bridge.call.transfer.Transfer;
import io.voiceorder.bridge.call.transfer.TransferLegs;
import io.voiceorder.bridge.call.transfer.TransferRequest;
import io.voiceorder.bridge.call.transfer.DeviceDirectory;
import io.voiceorder.bridge.call.transfer.TransferRoute;
import io.voiceorder.bridge.call.transfer.TransferRouter;
import io.voiceorder.bridge.call.transfer.TransferService;
import io.voiceorder.bridge.call.transfer.TransferableCall;
import io.voiceorder.bridge.media.MediaLeg;
import io.voiceorder.bridge.media.PortsExhaustedException;
import io.voiceorder.bridge.media.SdpRejectedException;
import io.voiceorder.bridge.config.DeviceAccount;
import io.voiceorder.bridge.registrar.AuthOutcome;
import io.voiceorder.bridge.registrar.Binding;
import io.voiceorder.bridge.registrar.Registrar;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.CallIdHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes SIP requests to calls and runs the REST API's call operations. Out-of-dialog requests pass the
 * source policy first (bridge.md §5.3: trunk, peer CIDR, device binding with digest, else unknown → 403, or
 * nothing with --drop-unknown); REGISTERs go to the registrar in gateway mode. Only INVITEs passing the policy
 * get a record, an RTP port, callbacks or a WebSocket.
 */
public final class CallManager implements SipEndpoint.RequestHandler, CallControl {
    private static final Logger LOG = LoggerFactory.getLogger(CallManager.class);

    private final CallContext ctx;
    private final SourcePolicy policy;
    private final Optional<Registrar> registrar;
    private final DialPolicy dialPolicy;
    private final Map<String, InboundCall> inbound = new ConcurrentHashMap<>();
    private final Map<String, OutboundCall> outbound = new ConcurrentHashMap<>();
    /** Bridged transfers' second legs by their Call-ID: they hold no slot of their own (bridge.md §5.7). */
    private final Map<String, BridgedTransfer> transferLegs = new ConcurrentHashMap<>();
    private final TransferService transfers;
    private volatile boolean shuttingDown;

    public CallManager(CallContext ctx, SourcePolicy policy, DialPolicy dialPolicy, Optional<Registrar> registrar) {
        this.ctx = ctx;
        this.policy = policy;
        this.dialPolicy = dialPolicy;
        this.registrar = registrar;
        this.transfers = new TransferService(ctx, new TransferRouter(dialPolicy, ctx.config().sipDomain(),
                ctx.sip().uriTransportSuffix(), ctx.metrics(), registrar.<DeviceDirectory>map(DeviceBindings::new)
                .orElse(DeviceDirectory.NONE)), new TransferLegs() {
            @Override
            public void register(String callId, BridgedTransfer leg) {
                transferLegs.put(callId, leg);
            }

            @Override
            public void unregister(String callId) {
                transferLegs.remove(callId);
            }
        });
    }

    // ---------------- SIP ----------------

    @Override
    public void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        BridgedTransfer transferLeg = transferLegs.get(callId);
        if (transferLeg != null) {
            if (!method.equals(Request.ACK)) {
                ServerTransaction st = transaction(event);
                if (st != null) {
                    transferLeg.onRequest(event, st);
                }
            }
            return;
        }
        if (method.equals(Request.ACK)) {
            InboundCall call = inbound.get(callId);
            OutboundCall outboundCall = outbound.get(callId);
            if (call != null) {
                call.onAck(request);
            } else if (outboundCall != null) {
                outboundCall.onAck(request);
            }
            return;
        }
        MaxForwardsHeader mf = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (mf != null && mf.getMaxForwards() == 0 && !method.equals(Request.CANCEL)) {
            respond(event, Response.TOO_MANY_HOPS);
            return;
        }
        InboundCall in = inbound.get(callId);
        OutboundCall out = outbound.get(callId);
        boolean inDialog = ((javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME)).getTag() != null;
        switch (method) {
            case Request.BYE -> {
                ServerTransaction st = transaction(event);
                if (in != null) {
                    in.onBye(event, st);
                } else if (out != null) {
                    out.onBye(event, st);
                } else {
                    respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            case Request.CANCEL -> {
                ServerTransaction st = transaction(event);
                if (in != null) {
                    in.onCancel(event, st);
                } else {
                    respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            case Request.INVITE, Request.UPDATE -> {
                if (inDialog) {
                    ServerTransaction st = transaction(event);
                    if (st == null) {
                        return;
                    }
                    if (in != null) {
                        in.onReoffer(event, st);
                    } else if (out != null) {
                        out.onReoffer(event, st);
                    } else {
                        respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                    }
                } else if (method.equals(Request.INVITE)) {
                    newInvite(event);
                } else {
                    outOfDialog(event);
                }
            }
            case Request.INFO -> {
                ServerTransaction st = transaction(event);
                if (in != null) {
                    in.onInfo(event, st);
                } else if (out != null) {
                    out.onInfo(event, st);
                } else {
                    respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                }
            }
            case Request.REGISTER -> {
                if (registrar.isPresent() && !inDialog) {
                    registrar.get().onRegister(event);
                } else {
                    outOfDialog(event);
                }
            }
            case Request.NOTIFY -> {
                ServerTransaction st = transaction(event);
                if (in != null) {
                    in.onNotify(event, st);
                } else if (out != null) {
                    out.onNotify(event, st);
                } else if (inDialog) {
                    respond(event, st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    outOfDialog(event);
                }
            }
            case Request.REFER -> {
                if (inDialog && (in != null || out != null)) {
                    // the bridge is never the transferee (bridge.md §5.9)
                    String sid = (in != null ? in.record() : out.record()).sid();
                    new CallLog(LOG, sid).info("REFER from the far end refused: 403");
                    respond(event, Response.FORBIDDEN);
                } else if (inDialog) {
                    respond(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    outOfDialog(event);
                }
            }
            default -> {
                if (inDialog && (in != null || out != null)) {
                    respond(event, Response.METHOD_NOT_ALLOWED);
                } else {
                    outOfDialog(event);
                }
            }
        }
    }

    /** OPTIONS from a trunk, peer or device address → 200; other methods → 405; unknown sources → 403 or nothing. */
    private void outOfDialog(RequestEvent event) {
        String source = SipEndpoint.sourceOf(event);
        if (policy.classify(source) == SourceClass.UNKNOWN) {
            refuseUnknown(event, source);
            return;
        }
        Response response;
        if (event.getRequest().getMethod().equals(Request.OPTIONS)) {
            response = ctx.sip().response(Response.OK, event.getRequest());
            response.addHeader(SipMessages.header("Accept", "application/sdp"));
        } else {
            response = ctx.sip().response(Response.METHOD_NOT_ALLOWED, event.getRequest());
        }
        for (var allow : ctx.sip().allow()) {
            response.addHeader(allow);
        }
        ctx.sip().respond(event, null, response);
    }

    private void refuseUnknown(RequestEvent event, String source) {
        ctx.metrics().inviteRefused("policy");
        if (ctx.config().dropUnknown()) {
            LOG.info("{} from unknown source {} dropped (--drop-unknown)", event.getRequest().getMethod(), source);
            return;
        }
        LOG.info("{} from unknown source {} refused: 403", event.getRequest().getMethod(), source);
        respond(event, Response.FORBIDDEN);
    }

    private void newInvite(RequestEvent event) {
        Request request = event.getRequest();
        String source = SipEndpoint.sourceOf(event);
        SourceClass sourceClass = policy.classify(source);
        if (sourceClass == SourceClass.UNKNOWN) {
            refuseUnknown(event, source);
            return;
        }
        ServerTransaction st = transaction(event);
        if (st == null) {
            return;
        }
        String device = null;
        if (sourceClass == SourceClass.DEVICE) {
            device = authenticateDevice(event, st, source);
            if (device == null) {
                return;
            }
        }
        ctx.sip().respond(event, st, ctx.sip().response(Response.TRYING, request));
        if (shuttingDown) {
            Response busy = ctx.sip().response(Response.SERVICE_UNAVAILABLE, request);
            busy.addHeader(SipMessages.header("Retry-After", "5"));
            ctx.metrics().inviteRefused("shutdown");
            ctx.sip().respond(event, st, busy);
            return;
        }
        Optional<String> unsupported = SipMessages.unsupportedRequire(request);
        if (unsupported.isPresent()) {
            Response bad = ctx.sip().response(Response.BAD_EXTENSION, request);
            bad.addHeader(SipMessages.header("Unsupported", unsupported.get()));
            ctx.sip().respond(event, st, bad);
            return;
        }
        var numbers = ctx.config().phoneNumbers();
        String from = numbers.normalise(SipMessages.callerOf(request));
        String to = numbers.normalise(SipMessages.calledOf(request));
        if (!ctx.registry().tryAcquireLeg()) {
            LOG.info("INVITE from the {} at {} ({} calls {}) refused: {} calls already up (486)", sourceClass.json(), source,
                    from, to, ctx.registry().maxConcurrent());
            ctx.metrics().inviteRefused("busy");
            ctx.sip().respond(event, st, ctx.sip().response(Response.BUSY_HERE, request));
            return;
        }
        String sid = UUID.randomUUID().toString();
        new CallLog(LOG, sid).info("INVITE from the {} at {}{}: {} calls {}", sourceClass.json(), source,
                device == null ? "" : " (device " + device + ")", from, to);
        MediaLeg leg;
        try {
            leg = ctx.media().openLeg(sid);
        } catch (PortsExhaustedException e) {
            ctx.registry().releaseLeg();
            ctx.metrics().inviteRefused("no_rtp_port");
            LOG.warn("INVITE refused: no free RTP port (503)");
            ctx.sip().respond(event, st, ctx.sip().response(Response.SERVICE_UNAVAILABLE, request));
            return;
        }
        Optional<String> offer = SipMessages.sdpOf(request);
        String localSdp;
        try {
            localSdp = offer.isPresent() ? leg.answer(offer.get(), source) : leg.createOffer();
        } catch (SdpRejectedException e) {
            leg.close();
            ctx.registry().releaseLeg();
            ctx.metrics().inviteRefused("codec");
            LOG.info("INVITE refused: {} {}", e.sipStatus(), e.reason());
            Response refused = ctx.sip().response(e.sipStatus(), request);
            if (e.sipStatus() == 488) {
                refused.addHeader(SipMessages.header("Warning", "305 " + ctx.sip().advertisedHost() + " \"Incompatible media format\""));
            }
            ctx.sip().respond(event, st, refused);
            return;
        }
        Dialog dialog;
        try {
            dialog = ctx.sip().provider().getNewDialog(st);
        } catch (Exception e) {
            leg.close();
            ctx.registry().releaseLeg();
            throw new IllegalStateException("no dialog for the INVITE", e);
        }
        CallRecord record = new CallRecord(sid, "inbound", sourceClass.json(), from, to, CallStatus.RINGING, ctx.config().params(),
                ctx.clock());
        record.device(device);
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (device != null) {
            ctx.sip().routeCall(callId, source, SipEndpoint.sourcePortOf(event));
        }
        ctx.registry().add(record, callId);
        ctx.metrics().callStarted("inbound");
        InboundCall call = new InboundCall(ctx, record, leg, st, dialog, InboundCall.newTag(), source,
                transferRoute(sourceClass, device, source, SipEndpoint.sourcePortOf(event)), localSdp, offer.isEmpty(),
                () -> ended(callId, record));
        inbound.put(callId, call);
        call.begin(!SipMessages.requires100rel(request));
    }

    /**
     * An INVITE from a bound device's address (bridge.md §5.2): 407 until it carries a configured device's
     * credentials; wrong ones → 403, counted. Returns the device user, or null when the INVITE was answered here.
     */
    private String authenticateDevice(RequestEvent event, ServerTransaction st, String source) {
        Request request = event.getRequest();
        if (registrar.isEmpty()) {
            refuseUnknown(event, source);
            return null;
        }
        AuthOutcome outcome = registrar.get().authenticator().check(request, source, true, null);
        if (outcome instanceof AuthOutcome.Accepted accepted) {
            return accepted.user();
        }
        if (outcome instanceof AuthOutcome.Challenge c) {
            Response challenge = ctx.sip().response(Response.PROXY_AUTHENTICATION_REQUIRED, request);
            challenge.addHeader(registrar.get().authenticator().challenge(source, true, c.stale()));
            ctx.sip().respond(event, st, challenge);
            return null;
        }
        LOG.info("INVITE from the device address {} refused (403): {}", source, ((AuthOutcome.Refused) outcome).reason());
        ctx.metrics().inviteRefused("policy");
        respond(event, st, Response.FORBIDDEN);
        return null;
    }

    private void ended(String callId, CallRecord record) {
        // a transaction keeps the hop it was created with, so retransmissions of the last BYE still reach the device
        ctx.sip().forgetCallRoute(callId);
        if (inbound.remove(callId) != null || outbound.remove(callId) != null) {
            ctx.registry().releaseLeg();
            ctx.metrics().callEnded(record.direction(), record.source(), record.status().json());
        }
    }

    private ServerTransaction transaction(RequestEvent event) {
        if (event.getServerTransaction() != null) {
            return event.getServerTransaction();
        }
        try {
            return ctx.sip().provider().getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException retransmission) {
            return null;
        } catch (Exception e) {
            LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), e.toString());
            return null;
        }
    }

    private void respond(RequestEvent event, int status) {
        respond(event, transaction(event), status);
    }

    private void respond(RequestEvent event, ServerTransaction st, int status) {
        ctx.sip().respond(event, st, ctx.sip().response(status, event.getRequest()));
    }

    // ---------------- REST ----------------

    @Override
    public CallRecord place(OutboundCallRequest request) throws CallRefusedException {
        if (shuttingDown) {
            throw new CallRefusedException(503, "shutting_down", "The bridge is shutting down.");
        }
        String normalised = dialPolicy.normalise(request.to());
        if (normalised == null || normalised.isEmpty()) {
            throw new CallRefusedException(400, "bad_request", "'to' is not a phone number or sip: URI the bridge can dial.");
        }
        if (!dialPolicy.allowed(request.to())) {
            ctx.metrics().outboundRefused("prefix");
            throw new CallRefusedException(403, "destination_not_allowed", "The destination " + normalised
                    + " does not start with an allowed prefix (ALLOW_DIAL, flag --allow-dial).");
        }
        OptionalLong wait = dialPolicy.takeAttempt();
        if (wait.isPresent()) {
            ctx.metrics().outboundRefused("hourly_cap");
            throw new CallRefusedException(429, "hourly_cap", "The hourly cap of outbound calls is reached "
                    + "(MAX_OUTBOUND_PER_HOUR, flag --max-outbound-per-hour); retry in " + wait.getAsLong() + " s.", wait);
        }
        OutboundRoute route = route(request.via(), request.from());
        if (!ctx.registry().tryAcquireLeg()) {
            throw new CallRefusedException(429, "max_concurrent_calls", "The bridge already holds "
                    + ctx.registry().maxConcurrent() + " calls (MAX_CONCURRENT_CALLS, flag --max-concurrent-calls).");
        }
        URI target = request.wsTarget().map(URI::create).orElse(ctx.config().wsTarget());
        if (!reachable(target)) {
            ctx.registry().releaseLeg();
            throw new CallRefusedException(503, "ws_target_unreachable", "The WebSocket target " + withoutQuery(target)
                    + " refuses connections: is voiceorder serve running?");
        }
        String sid = UUID.randomUUID().toString();
        MediaLeg leg;
        try {
            leg = ctx.media().openLeg(sid);
        } catch (PortsExhaustedException e) {
            ctx.registry().releaseLeg();
            throw new CallRefusedException(503, "no_rtp_port", "No free RTP port (RTP_PORTS, flag --rtp-ports).");
        }
        Map<String, String> params = new LinkedHashMap<>(ctx.config().params());
        params.putAll(request.customParams());
        String from = request.from().map(f -> ctx.config().phoneNumbers().normalise(f))
                .orElse(ctx.config().phoneNumbers().normalise(ctx.trunkUser()));
        CallRecord record = new CallRecord(sid, "outbound", "api", from, normalised, CallStatus.INITIATED, params, ctx.clock());
        record.device(route.device());
        request.callbackUrl().ifPresent(record::callbackUrl);
        String callId = ctx.sip().provider().getNewCallId().getCallId();
        if (!route.viaTrunk()) {
            int colon = route.requestHost().lastIndexOf(':');
            ctx.sip().routeCall(callId, route.requestHost().substring(0, colon),
                    Integer.parseInt(route.requestHost().substring(colon + 1)));
        }
        OutboundCall call = new OutboundCall(ctx, record, leg, route, DialPolicy.dialString(request.to()), request.to(), request.from(),
                request.wsTarget(), request.timeoutSec(), request.sendDigits(), () -> ended(callId, record));
        ctx.registry().add(record, callId);
        outbound.put(callId, call);
        ctx.metrics().callStarted("outbound");
        try {
            call.start(callId);
        } catch (Exception e) {
            outbound.remove(callId);
            ctx.sip().forgetCallRoute(callId);
            record.end(CallStatus.FAILED, EndReason.REMOTE_FAILURE, null);
            ctx.statusCallbacks().send(record, "completed");
            leg.close();
            ctx.registry().releaseLeg();
            ctx.metrics().callEnded("outbound", "api", "failed");
            LOG.warn("INVITE not sent: {}", e.toString());
            throw new CallRefusedException(503, "no_route", "The INVITE could not be sent via " + route.describe() + ".");
        }
        return record;
    }

    /** bridge.md §5.9: a transfer's number goes the way the call came in. */
    private static TransferRoute transferRoute(SourceClass source, String device, String ip, int port) {
        return switch (source) {
            case PEER -> TransferRoute.peer(ip, port);
            case DEVICE -> TransferRoute.device(device);
            default -> TransferRoute.TRUNK;
        };
    }

    /**
     * bridge.md §3.4/§5.5: {@code via} = {@code trunk} or a device user; by default the trunk, else the first
     * configured device that is registered.
     */
    private OutboundRoute route(Optional<String> via, Optional<String> from) throws CallRefusedException {
        boolean trunk = ctx.config().trunkMode();
        if (via.isPresent() && via.get().equals("trunk") || via.isEmpty() && trunk) {
            if (!trunk) {
                throw new CallRefusedException(503, "no_route", "No trunk is configured (SIP_USERNAME, flag --sip-username).");
            }
            var domain = ctx.config().sipDomain();
            return new OutboundRoute(null, domain.host() + (domain.port() == 5060 ? "" : ":" + domain.port()), ctx.trunkUser(),
                    domain.host(), ctx.trunkCredentials());
        }
        Optional<DeviceAccount> account = via.isPresent()
                ? registrar.map(r -> r.authenticator().account(via.get()))
                : registrar.flatMap(r -> r.authenticator().accounts().stream()
                        .filter(a -> r.bindings().find(a.user()).isPresent()).findFirst());
        Optional<Binding> binding = account.flatMap(a -> registrar.get().bindings().find(a.user()));
        if (binding.isEmpty()) {
            throw new CallRefusedException(503, "no_route", via.map(v -> "The device '" + v + "' is not registered.")
                    .orElse("No trunk is configured and no device is registered."));
        }
        String fromUser = from.filter(f -> f.matches("\\+?[0-9A-Za-z._-]{1,64}")).or(() -> ctx.config().sipUsername())
                .orElse("voiceorder");
        return new OutboundRoute(account.get().user(), binding.get().source(), fromUser,
                ctx.sip().advertisedHost() + ":" + ctx.sip().advertisedPort(),
                new DigestCredentials(account.get().user(), account.get().password()));
    }

    private boolean reachable(URI target) {
        int port = target.getPort() > 0 ? target.getPort() : target.getScheme().equals("wss") ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.getHost(), port), (int) ctx.timings().wsProbeTimeout().toMillis());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
    }

    @Override
    public CallRecord hangup(String sid) throws CallRefusedException {
        CallRecord record = ctx.registry().find(sid)
                .orElseThrow(() -> new CallRefusedException(404, "not_found", "No call with this sid."));
        if (record.status().isFinal()) {
            return record;
        }
        Optional<InboundCall> in = inbound.values().stream().filter(c -> c.record().sid().equals(sid)).findFirst();
        Optional<OutboundCall> out = outbound.values().stream().filter(c -> c.record().sid().equals(sid)).findFirst();
        in.ifPresent(InboundCall::apiHangup);
        out.ifPresent(OutboundCall::apiHangup);
        awaitFinal(record, 2000);
        return record;
    }

    private static void awaitFinal(CallRecord record, long maxMs) {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        while (!record.status().isFinal() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void sendDigits(String sid, String digits, int durationMs) throws CallRefusedException {
        Optional<InboundCall> in = inbound.values().stream().filter(c -> c.record().sid().equals(sid)).findFirst();
        Optional<OutboundCall> out = outbound.values().stream().filter(c -> c.record().sid().equals(sid)).findFirst();
        boolean answered = in.map(InboundCall::answered).orElse(false) || out.map(OutboundCall::answered).orElse(false);
        if (!answered) {
            throw new CallRefusedException(409, "not_answered", "DTMF can only be sent on an answered call.");
        }
        in.ifPresent(c -> c.sendDigits(digits));
        out.ifPresent(c -> c.sendDigits(digits));
    }

    @Override
    public Transfer transfer(String sid, TransferRequest request) throws CallRefusedException {
        CallRecord record = ctx.registry().find(sid)
                .orElseThrow(() -> new CallRefusedException(404, "not_found", "No call with this sid."));
        Optional<TransferableCall> call = inbound.values().stream().filter(c -> c.record().sid().equals(sid))
                .<TransferableCall>map(c -> c).findFirst()
                .or(() -> outbound.values().stream().filter(c -> c.record().sid().equals(sid)).<TransferableCall>map(c -> c).findFirst());
        if (call.isEmpty() || record.status().isFinal()) {
            throw new CallRefusedException(409, "not_answered", "The call has ended (" + record.status().json() + ").");
        }
        return transfers.start(call.get(), request);
    }

    /** SIGTERM: new INVITEs get 503, live calls are hung up (BYE, CANCEL or 480); waits at most {@code budgetMs}. */
    public void shutdown(long budgetMs) {
        shuttingDown = true;
        inbound.values().forEach(InboundCall::shutdown);
        outbound.values().forEach(OutboundCall::shutdown);
        long deadline = System.nanoTime() + budgetMs * 1_000_000L;
        while ((!inbound.isEmpty() || !outbound.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }
}
