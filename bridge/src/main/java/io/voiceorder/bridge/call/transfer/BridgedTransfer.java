package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallContext;
import io.voiceorder.bridge.call.CallLog;
import io.voiceorder.bridge.media.LegListener;
import io.voiceorder.bridge.media.MediaLeg;
import io.voiceorder.bridge.media.PortsExhaustedException;
import io.voiceorder.bridge.media.SdpRejectedException;
import io.voiceorder.bridge.sip.DigestCredentials;
import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipFactories;
import io.voiceorder.bridge.sip.SipMessages;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The second leg of a bridged transfer (bridge.md §5.9), as an explicit state machine on the call's serial
 * executor: INVITING → RINGING (18x) → JOINED (200: ACK, media joined with the caller's leg) → ENDED, or
 * CANCELLING (ring timeout) → ENDED. From: on the trunk, the trunk identity with the caller in the display
 * name; elsewhere the caller's number. The call's concurrency slot covers this leg too.
 */
public final class BridgedTransfer implements LegListener {
    enum State { INVITING, RINGING, CANCELLING, JOINED, ENDED }

    private static final long CANCEL_GIVE_UP_SEC = 32;

    private final CallContext ctx;
    private final TransferableCall call;
    private final Transfer transfer;
    private final TransferTarget target;
    private final int timeoutSec;
    private final TransferLegs legs;
    private final CallLog log;
    private State state = State.INVITING;
    private MediaLeg leg;
    private String callId;
    private ClientTransaction inviteTransaction;
    private Dialog dialog;
    private boolean challengeAnswered;
    private String earlySdp;
    private ScheduledFuture<?> ringTimer;

    BridgedTransfer(CallContext ctx, TransferableCall call, Transfer transfer, TransferTarget target, int timeoutSec,
                    TransferLegs legs) {
        this.ctx = ctx;
        this.call = call;
        this.transfer = transfer;
        this.target = target;
        this.timeoutSec = timeoutSec;
        this.legs = legs;
        this.log = new CallLog(LoggerFactory.getLogger(BridgedTransfer.class), call.record().sid());
    }

    void start() {
        try {
            leg = ctx.media().openLeg(call.record().sid());
        } catch (PortsExhaustedException e) {
            log.warn("no RTP port for the transfer's leg");
            end();
            transfer.bridgedFailed(Response.SERVICE_UNAVAILABLE);
            return;
        }
        callId = ctx.sip().provider().getNewCallId().getCallId();
        legs.register(callId, this);
        ctx.registry().alias(callId, call.record().sid());
        if (target.device() != null) {
            // a device behind NAT is reached only through the address its REGISTER came from
            ctx.sip().routeCall(callId, target.device().host(), target.device().port());
        }
        try {
            sendInvite(buildInvite());
        } catch (Exception e) {
            log.warn("transfer INVITE not sent: {}", e.toString());
            end();
            transfer.bridgedFailed(null);
            return;
        }
        log.info("INVITE sent to {} for the transfer", target.shownDestination());
        ringTimer = ctx.timers().schedule(() -> call.execute(this::ringTimeout), timeoutSec, TimeUnit.SECONDS);
    }

    private Request buildInvite() throws Exception {
        var headers = SipFactories.HEADERS;
        var addresses = SipFactories.ADDRESSES;
        javax.sip.address.URI requestUri = addresses.createURI(target.uri());
        String caller = call.partyNumber();
        Address fromAddress;
        if (target.viaTrunk()) {
            // trunks authenticate and bill by their own From user; the caller rides in the display name
            fromAddress = addresses.createAddress("sip:" + ctx.trunkUser() + "@" + ctx.config().sipDomain().host());
            if (caller != null && !caller.isBlank()) {
                fromAddress.setDisplayName(caller);
            }
        } else {
            fromAddress = addresses.createAddress("sip:" + (caller == null || caller.isBlank() ? ctx.trunkUser() : caller)
                    + "@" + ctx.sip().advertisedHost());
        }
        ViaHeader via = headers.createViaHeader(ctx.sip().advertisedHost(), ctx.sip().advertisedPort(), ctx.sip().transport(), null);
        via.setRPort();
        Request invite = SipFactories.MESSAGES.createRequest(requestUri, Request.INVITE, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(fromAddress, newTag()),
                headers.createToHeader(addresses.createAddress(requestUri), null), List.of(via), headers.createMaxForwardsHeader(70));
        invite.addHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
        for (var allow : ctx.sip().allow()) {
            invite.addHeader(allow);
        }
        SipMessages.setSdp(invite, leg.createOffer());
        return invite;
    }

    private void sendInvite(Request invite) throws Exception {
        invite.setHeader(SipMessages.header("User-Agent", SipEndpoint.PRODUCT));
        ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(invite);
        transaction.setApplicationData(new SipEndpoint.ResponseHandler() {
            @Override
            public void onResponse(ResponseEvent event) {
                call.execute(() -> onInviteResponse(event));
            }

            @Override
            public void onTimeout() {
                call.execute(() -> {
                    if (state == State.INVITING || state == State.RINGING || state == State.CANCELLING) {
                        log.info("transfer INVITE not answered (timeout)");
                        failed(Response.REQUEST_TIMEOUT);
                    }
                });
            }
        });
        dialog = ctx.sip().provider().getNewDialog(transaction);
        inviteTransaction = transaction;
        transaction.sendRequest();
    }

    private void onInviteResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int code = response.getStatusCode();
        if (state == State.ENDED || state == State.JOINED) {
            if (code >= 200 && code < 300) {
                Dialog d = event.getDialog() != null ? event.getDialog() : dialog;
                if (state == State.ENDED || d != dialog) {
                    ack(event, d);
                    bye(d);
                } else {
                    ack(event, d);
                }
            }
            return;
        }
        if (code < 200) {
            if ((code == 180 || code == 183) && state == State.INVITING) {
                state = State.RINGING;
                log.info("the transfer's destination is ringing ({})", code);
                transfer.bridgedRinging();
            }
            SipMessages.sdpOf(response).ifPresent(sdp -> earlySdp = sdp);
            return;
        }
        if (code < 300) {
            answered(event);
            return;
        }
        if ((code == 401 || code == 407) && !challengeAnswered && state != State.CANCELLING
                && (target.viaTrunk() || target.device() != null)) {
            answerChallenge(response);
            return;
        }
        log.info("the transfer's destination answered {} {}", code, response.getReasonPhrase());
        failed(code);
    }

    private void answerChallenge(Response response) {
        challengeAnswered = true;
        try {
            Request retry = (Request) inviteTransaction.getRequest().clone();
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((ViaHeader) retry.getHeader(ViaHeader.NAME)).removeParameter("branch");
            Object challenge = response.getStatusCode() == 407 ? response.getHeader(ProxyAuthenticateHeader.NAME)
                    : response.getHeader(WWWAuthenticateHeader.NAME);
            if (!(challenge instanceof WWWAuthenticateHeader header)) {
                failed(response.getStatusCode());
                return;
            }
            DigestCredentials credentials = target.device() != null ? target.device().credentials() : ctx.trunkCredentials();
            retry.setHeader(credentials.answer(header, Request.INVITE, retry.getRequestURI().toString(), SipFactories.HEADERS));
            log.info("transfer INVITE challenged ({}): answered with the {} credentials", response.getStatusCode(),
                    target.device() != null ? "device's" : "trunk");
            sendInvite(retry);
        } catch (Exception e) {
            log.warn("challenge not answered: {}", e.toString());
            failed(response.getStatusCode());
        }
    }

    private void answered(ResponseEvent event) {
        Response response = event.getResponse();
        cancelRingTimer();
        Dialog d = event.getDialog() != null ? event.getDialog() : dialog;
        dialog = d;
        ack(event, d);
        if (state == State.CANCELLING) {
            log.info("200 crossed our CANCEL: ACK then BYE");
            bye(d);
            failed(Response.REQUEST_TERMINATED);
            return;
        }
        Optional<String> answer = SipMessages.sdpOf(response).or(() -> Optional.ofNullable(earlySdp));
        try {
            if (answer.isEmpty()) {
                throw new SdpRejectedException(488, "no SDP answer");
            }
            leg.acceptAnswer(answer.get(), sourceOf(response));
            call.leg().joinWith(leg);
        } catch (SdpRejectedException | IllegalStateException e) {
            log.warn("the transfer's leg cannot be joined ({}): BYE", e.getMessage());
            bye(d);
            failed(Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        leg.watch(this);
        state = State.JOINED;
        transfer.bridgedAnswered(response.getStatusCode());
    }

    private void ringTimeout() {
        if (state != State.INVITING && state != State.RINGING) {
            return;
        }
        log.info("the transfer's destination did not answer within {} s: CANCEL", timeoutSec);
        state = State.CANCELLING;
        try {
            ClientTransaction cancel = ctx.sip().provider().getNewClientTransaction(inviteTransaction.createCancel());
            cancel.setApplicationData(ignoring());
            cancel.sendRequest();
        } catch (Exception e) {
            log.warn("CANCEL not sent: {}", e.toString());
            failed(Response.REQUEST_TERMINATED);
            return;
        }
        ctx.timers().schedule(() -> call.execute(() -> {
            if (state == State.CANCELLING) {
                failed(Response.REQUEST_TERMINATED);
            }
        }), CANCEL_GIVE_UP_SEC, TimeUnit.SECONDS);
    }

    /** A request in the second leg's dialog (the SIP listener routes it by Call-ID). */
    public void onRequest(RequestEvent event, ServerTransaction transaction) {
        call.execute(() -> {
            Request request = event.getRequest();
            switch (request.getMethod()) {
                case Request.BYE -> {
                    ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, request));
                    if (state == State.JOINED) {
                        log.info("the transfer's destination hung up (BYE): ending the caller's leg");
                        end();
                        transfer.bridgedHungUp();
                    }
                }
                case Request.INVITE, Request.UPDATE -> reoffer(event, transaction);
                default -> ctx.sip().respond(event, transaction, ctx.sip().response(Response.METHOD_NOT_ALLOWED, request));
            }
        });
    }

    private void reoffer(RequestEvent event, ServerTransaction transaction) {
        Request request = event.getRequest();
        if (state == State.ENDED) {
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
            return;
        }
        Optional<String> offer = SipMessages.sdpOf(request);
        Response response;
        try {
            response = ctx.sip().response(Response.OK, request);
            SipMessages.setSdp(response, offer.isEmpty() ? leg.createOffer() : leg.reoffer(offer.get(), SipEndpoint.sourceOf(event)));
        } catch (SdpRejectedException e) {
            response = ctx.sip().response(e.sipStatus(), request);
        }
        response.addHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
        ctx.sip().respond(event, transaction, response);
    }

    /** The caller's leg ended: the destination's leg goes too (CANCEL while it rings, BYE once joined). */
    void callEnded() {
        switch (state) {
            case INVITING, RINGING -> {
                cancelRingTimer();
                try {
                    ClientTransaction cancel = ctx.sip().provider().getNewClientTransaction(inviteTransaction.createCancel());
                    cancel.setApplicationData(ignoring());
                    cancel.sendRequest();
                } catch (Exception e) {
                    log.debug("CANCEL not sent: {}", e.toString());
                }
                end();
            }
            case JOINED -> {
                log.info("the caller's leg ended: BYE to the transfer's destination");
                bye(dialog);
                end();
            }
            case CANCELLING -> end();
            case ENDED -> { }
        }
    }

    private void failed(Integer code) {
        if (state == State.ENDED) {
            return;
        }
        end();
        transfer.bridgedFailed(code);
    }

    private void end() {
        state = State.ENDED;
        cancelRingTimer();
        if (callId != null) {
            legs.unregister(callId);
            ctx.sip().forgetCallRoute(callId);
        }
        if (leg != null) {
            MediaLeg l = leg;
            l.hangup("transfer-leg-ended");
            ctx.pool().execute(l::close);
        }
    }

    private void ack(ResponseEvent event, Dialog d) {
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            d.sendAck(d.createAck(cseq));
        } catch (Exception e) {
            log.warn("ACK not sent: {}", e.toString());
        }
    }

    private void bye(Dialog d) {
        try {
            Request bye = d.createRequest(Request.BYE);
            ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(bye);
            transaction.setApplicationData(ignoring());
            d.sendRequest(transaction);
        } catch (Exception e) {
            log.warn("BYE not sent: {}", e.toString());
        }
    }

    private void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
            ringTimer = null;
        }
    }

    private static SipEndpoint.ResponseHandler ignoring() {
        return new SipEndpoint.ResponseHandler() {
            @Override
            public void onResponse(ResponseEvent event) {
            }

            @Override
            public void onTimeout() {
            }
        };
    }

    private static String sourceOf(Response response) {
        if (response instanceof gov.nist.javax.sip.message.SIPResponse r && r.getPeerPacketSourceAddress() != null) {
            return r.getPeerPacketSourceAddress().getHostAddress();
        }
        return null;
    }

    private static String newTag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    // ---- LegListener of the destination's leg (only its RTP timeout matters: it never streams to serve) ----

    @Override
    public void onServeHangup(String endReason) {
    }

    @Override
    public void onStreamLost(String endReason) {
    }

    @Override
    public void onRtpTimeout() {
        call.execute(() -> {
            if (state == State.JOINED) {
                log.info("no RTP from the transfer's destination for {} s: BYE both legs", ctx.config().rtpTimeoutSec());
                bye(dialog);
                end();
                transfer.bridgedHungUp();
            }
        });
    }

    @Override
    public void onDtmf(char digit) {
    }
}
