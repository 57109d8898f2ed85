package io.voiceorder.bridge.call;

import io.voiceorder.bridge.call.transfer.CallTransfer;
import io.voiceorder.bridge.call.transfer.TransferRoute;
import io.voiceorder.bridge.call.transfer.TransferableCall;
import io.voiceorder.bridge.media.LegListener;
import io.voiceorder.bridge.media.MediaLeg;
import io.voiceorder.bridge.media.SdpRejectedException;
import io.voiceorder.bridge.media.StreamStart;
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
import javax.sip.header.FromHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One outbound call (bridge.md §5.5) as an explicit state machine on its own serial executor:
 * INVITING (initiated) → RINGING (180/183) → ANSWERED (200, ACK sent, stream opening) → ACTIVE → ENDED.
 * Early media is ignored: no WebSocket before the 200.
 */
public final class OutboundCall implements LegListener, TransferableCall {
    enum State { INVITING, RINGING, CANCELLING, ANSWERED, ACTIVE, ENDED }

    private final CallContext ctx;
    private final CallRecord record;
    private final MediaLeg leg;
    private final OutboundRoute route;
    private final String dialled;
    private final String requestedTo;
    private final Optional<String> displayFrom;
    private final Optional<String> wsTarget;
    private final int timeoutSec;
    private final String sendDigits;
    private final SerialExecutor executor;
    private final CallLog log;
    private final Runnable onEnded;
    private State state = State.INVITING;
    private ClientTransaction inviteTransaction;
    private Dialog dialog;
    private boolean challengeAnswered;
    private EndReason cancelReason;
    private CallStatus cancelStatus;
    private String earlySdp;
    private ScheduledFuture<?> ringTimer;
    private ScheduledFuture<?> maxDuration;
    private String callId;
    private boolean streamOpen;
    private CallTransfer transfer;
    private final OfferInAnswer offerInAnswer = new OfferInAnswer();

    OutboundCall(CallContext ctx, CallRecord record, MediaLeg leg, OutboundRoute route, String dialled, String requestedTo,
                 Optional<String> displayFrom, Optional<String> wsTarget, int timeoutSec, String sendDigits, Runnable onEnded) {
        this.ctx = ctx;
        this.record = record;
        this.leg = leg;
        this.route = route;
        this.dialled = dialled;
        this.requestedTo = requestedTo;
        this.displayFrom = displayFrom;
        this.wsTarget = wsTarget;
        this.timeoutSec = timeoutSec;
        this.sendDigits = sendDigits;
        this.onEnded = onEnded;
        this.executor = new SerialExecutor(ctx.pool());
        this.log = new CallLog(LoggerFactory.getLogger(OutboundCall.class), record.sid());
        record.media(() -> MediaView.of(leg.stats()));
    }

    @Override
    public CallRecord record() {
        return record;
    }

    // ---- TransferableCall (on the executor) ----

    @Override
    public MediaLeg leg() {
        return leg;
    }

    @Override
    public Dialog dialog() {
        return dialog;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public boolean streamOpen() {
        return streamOpen;
    }

    @Override
    public TransferRoute route() {
        return route.viaTrunk() ? TransferRoute.TRUNK : TransferRoute.device(route.device());
    }

    @Override
    public String partyNumber() {
        return record.to();
    }

    @Override
    public Optional<CallTransfer> transfer() {
        return Optional.ofNullable(transfer);
    }

    @Override
    public void transfer(CallTransfer transfer) {
        this.transfer = transfer;
    }

    @Override
    public void handedOff() {
        if (maxDuration != null) {
            maxDuration.cancel(false);
            maxDuration = null;
        }
    }

    @Override
    public void endTransferred() {
        if (state == State.ENDED) {
            return;
        }
        leg.hangup(EndReason.TRANSFERRED.json());
        sendBye();
        finish(CallStatus.TRANSFERRED, EndReason.TRANSFERRED, null);
    }

    @Override
    public void endTransferFailed() {
        if (state == State.ENDED) {
            return;
        }
        leg.hangup(EndReason.TRANSFER_FAILED.json());
        sendBye();
        finish(CallStatus.COMPLETED, EndReason.TRANSFER_FAILED, null);
    }

    /** A NOTIFY in this call's dialog: the progress of our REFER, if one is out. */
    void onNotify(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            if (transfer != null && state != State.ENDED) {
                transfer.onNotify(event, transaction);
            } else {
                ctx.sip().respond(event, transaction, ctx.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, event.getRequest()));
            }
        });
    }

    /** Builds and sends the INVITE; returns once it left (the reply to the API follows at once). */
    void start(String callId) throws Exception {
        this.callId = callId;
        Request invite = buildInvite(callId);
        sendInvite(invite);
        ctx.statusCallbacks().send(record, "initiated");
        log.info("INVITE sent to {} via {}", record.to(), route.describe());
        ringTimer = ctx.timers().schedule(() -> executor.execute(this::ringTimeout), timeoutSec, TimeUnit.SECONDS);
    }

    private Request buildInvite(String callId) throws Exception {
        var headers = SipFactories.HEADERS;
        var addresses = SipFactories.ADDRESSES;
        javax.sip.address.URI requestUri = dialled.regionMatches(true, 0, "sip:", 0, 4)
                ? addresses.createURI(dialled)
                : addresses.createURI("sip:" + dialled + "@" + route.requestHost() + ctx.sip().uriTransportSuffix());
        String user = ctx.trunkUser();
        Address fromAddress = addresses.createAddress("sip:" + route.fromUser() + "@" + route.fromHost());
        displayFrom.filter(f -> route.viaTrunk()).ifPresent(f -> {
            try {
                fromAddress.setDisplayName(f);
            } catch (java.text.ParseException e) {
                log.debug("display name not usable: {}", e.getMessage());
            }
        });
        Address toAddress = addresses.createAddress(requestUri);
        ViaHeader via = headers.createViaHeader(ctx.sip().advertisedHost(), ctx.sip().advertisedPort(), ctx.sip().transport(), null);
        via.setRPort();
        Request invite = SipFactories.MESSAGES.createRequest(requestUri, Request.INVITE, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(fromAddress, InboundCall.newTag()),
                headers.createToHeader(toAddress, null), List.of(via), headers.createMaxForwardsHeader(70));
        invite.addHeader(SipMessages.contact(user, ctx.sip()));
        for (var allow : ctx.sip().allow()) {
            invite.addHeader(allow);
        }
        displayFrom.filter(f -> route.viaTrunk()).ifPresent(f -> invite.addHeader(SipMessages.header("P-Preferred-Identity",
                "<sip:" + f + "@" + ctx.config().sipDomain().host() + ">")));
        SipMessages.setSdp(invite, leg.createOffer());
        return invite;
    }

    private void sendInvite(Request invite) throws Exception {
        invite.setHeader(SipMessages.header("User-Agent", SipEndpoint.PRODUCT));
        ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(invite);
        transaction.setApplicationData(new SipEndpoint.ResponseHandler() {
            @Override
            public void onResponse(ResponseEvent event) {
                executor.execute(() -> onInviteResponse(event));
            }

            @Override
            public void onTimeout() {
                executor.execute(() -> {
                    if (state == State.INVITING || state == State.RINGING || state == State.CANCELLING) {
                        log.warn("INVITE not answered (timeout)");
                        finish(CallStatus.FAILED, EndReason.REMOTE_FAILURE, 408);
                    }
                });
            }
        });
        Dialog newDialog = ctx.sip().provider().getNewDialog(transaction);
        inviteTransaction = transaction;
        dialog = newDialog;
        transaction.sendRequest();
    }

    private void onInviteResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int code = response.getStatusCode();
        if (state == State.ENDED) {
            if (code >= 200 && code < 300) {
                ackAndBye(event);
            }
            return;
        }
        if (code < 200) {
            if ((code == 180 || code == 183) && state == State.INVITING) {
                state = State.RINGING;
                record.advance(CallStatus.RINGING);
                log.info("ringing ({})", code);
                ctx.statusCallbacks().send(record, "ringing");
            }
            SipMessages.sdpOf(response).ifPresent(sdp -> earlySdp = sdp);
            return;
        }
        if (code < 300) {
            if (state == State.ANSWERED || state == State.ACTIVE) {
                if (event.getDialog() == null || event.getDialog() == dialog) {
                    sendAck(event);
                } else {
                    log.info("200 from another fork: ACK then BYE");
                    ackAndByeFork(event);
                }
                return;
            }
            answered(event);
            return;
        }
        if ((code == 401 || code == 407) && !challengeAnswered && state != State.CANCELLING) {
            answerChallenge(response);
            return;
        }
        record.sipCode(code);
        if (state == State.CANCELLING && code == 487) {
            finish(cancelStatus, cancelReason, code);
            return;
        }
        CallStatus status = switch (code) {
            case 486, 600 -> CallStatus.BUSY;
            case 408, 480 -> CallStatus.NO_ANSWER;
            default -> CallStatus.FAILED;
        };
        log.info("callee answered {} {}: {}", code, response.getReasonPhrase(), status.json());
        finish(status, status == CallStatus.FAILED || status == CallStatus.BUSY || status == CallStatus.NO_ANSWER
                ? EndReason.REMOTE_FAILURE : EndReason.REJECTED, code);
    }

    private void answerChallenge(Response response) {
        challengeAnswered = true;
        try {
            Request retry = (Request) inviteTransaction.getRequest().clone();
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ViaHeader via = (ViaHeader) retry.getHeader(ViaHeader.NAME);
            via.removeParameter("branch");
            Object challenge = response.getStatusCode() == 407 ? response.getHeader(ProxyAuthenticateHeader.NAME)
                    : response.getHeader(WWWAuthenticateHeader.NAME);
            if (!(challenge instanceof WWWAuthenticateHeader header)) {
                finish(CallStatus.FAILED, EndReason.REMOTE_FAILURE, response.getStatusCode());
                return;
            }
            retry.setHeader(route.credentials().answer(header, Request.INVITE, retry.getRequestURI().toString(),
                    SipFactories.HEADERS));
            log.info("INVITE challenged ({}): answered with the credentials of {}", response.getStatusCode(), route.describe());
            sendInvite(retry);
        } catch (Exception e) {
            log.warn("challenge not answered: {}", e.toString());
            finish(CallStatus.FAILED, EndReason.REMOTE_FAILURE, response.getStatusCode());
        }
    }

    private void answered(ResponseEvent event) {
        Response response = event.getResponse();
        cancelRingTimer();
        sendAck(event);
        if (state == State.CANCELLING) {
            log.info("200 crossed our CANCEL: ACK then BYE");
            sendBye();
            finish(cancelStatus, cancelReason, 200);
            return;
        }
        record.sipCode(response.getStatusCode());
        Optional<String> answer = SipMessages.sdpOf(response).or(() -> Optional.ofNullable(earlySdp));
        try {
            if (answer.isEmpty()) {
                throw new SdpRejectedException(488, "no SDP answer");
            }
            leg.acceptAnswer(answer.get(), sourceOf(response));
        } catch (SdpRejectedException e) {
            log.warn("callee's answer is unusable ({}): BYE", e.reason());
            sendBye();
            finish(CallStatus.FAILED, EndReason.REMOTE_FAILURE, 488);
            return;
        }
        state = State.ANSWERED;
        record.advance(CallStatus.ANSWERED);
        log.info("callee answered: opening the stream to serve");
        ctx.statusCallbacks().send(record, "answered");
        StreamStart start = new StreamStart(record.to(), "outbound", requestedTo, record.customParams(),
                wsTarget.map(URI::create).orElse(null));
        leg.connectStream(start, this).whenComplete((ok, error) -> executor.execute(() -> {
            if (state != State.ANSWERED) {
                return;
            }
            if (error != null) {
                log.warn("serve is unreachable ({}): BYE", error.getMessage());
                ctx.metrics().inviteRefused("ws_unreachable");
                sendBye();
                finish(CallStatus.FAILED, EndReason.WS_UNREACHABLE, null);
                return;
            }
            state = State.ACTIVE;
            streamOpen = true;
            record.advance(CallStatus.ACTIVE);
            leg.startMedia();
            if (!sendDigits.isEmpty()) {
                leg.sendDtmf(sendDigits);
            }
            int max = ctx.config().maxCallDurationSec();
            if (max > 0) {
                maxDuration = ctx.timers().schedule(() -> executor.execute(() -> hangUp(EndReason.MAX_DURATION)), max, TimeUnit.SECONDS);
            }
        }));
    }

    private void sendAck(ResponseEvent event) {
        try {
            Dialog d = event.getDialog() != null ? event.getDialog() : dialog;
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            Request ack = d.createAck(cseq);
            d.sendAck(ack);
            dialog = d;
        } catch (Exception e) {
            log.warn("ACK not sent: {}", e.toString());
        }
    }

    private void ackAndByeFork(ResponseEvent event) {
        Dialog fork = event.getDialog();
        try {
            long cseq = ((CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
            fork.sendAck(fork.createAck(cseq));
            Request bye = fork.createRequest(Request.BYE);
            ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(bye);
            fork.sendRequest(transaction);
        } catch (Exception e) {
            log.debug("fork not closed: {}", e.toString());
        }
    }

    private void ackAndBye(ResponseEvent event) {
        sendAck(event);
        sendBye();
    }

    private void sendBye() {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(bye);
            transaction.setApplicationData(new SipEndpoint.ResponseHandler() {
                @Override
                public void onResponse(ResponseEvent event) {
                }

                @Override
                public void onTimeout() {
                }
            });
            dialog.sendRequest(transaction);
        } catch (Exception e) {
            log.warn("BYE not sent: {}", e.toString());
        }
    }

    private void ringTimeout() {
        if (state == State.INVITING || state == State.RINGING) {
            log.info("no answer within {} s: CANCEL", timeoutSec);
            cancel(CallStatus.NO_ANSWER, EndReason.RING_TIMEOUT);
        }
    }

    private void cancel(CallStatus status, EndReason reason) {
        state = State.CANCELLING;
        cancelStatus = status;
        cancelReason = reason;
        try {
            Request cancel = inviteTransaction.createCancel();
            ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(cancel);
            transaction.setApplicationData(new SipEndpoint.ResponseHandler() {
                @Override
                public void onResponse(ResponseEvent event) {
                }

                @Override
                public void onTimeout() {
                    executor.execute(() -> finish(status, reason, null));
                }
            });
            transaction.sendRequest();
        } catch (Exception e) {
            log.warn("CANCEL not sent: {}", e.toString());
            finish(status, reason, null);
            return;
        }
        // a callee that never answers the CANCEL's INVITE with 487 does not hold the call open
        ctx.timers().schedule(() -> executor.execute(() -> {
            if (state == State.CANCELLING) {
                finish(status, reason, null);
            }
        }), 32, TimeUnit.SECONDS);
    }

    void onBye(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            if (fromAnotherFork(event.getRequest())) {
                // one Call-ID, another dialog: a fork we did not keep hanging up its own leg, not the call
                log.info("BYE from another fork: 481, the call goes on");
                ctx.sip().respond(event, transaction, ctx.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, event.getRequest()));
                return;
            }
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, event.getRequest()));
            if (state == State.ENDED) {
                return;
            }
            log.info("callee hung up (BYE)");
            leg.hangup("caller-hangup");
            finish(CallStatus.COMPLETED, EndReason.CALLER_HANGUP, null);
        });
    }

    /** A request whose From tag is not the remote tag of the dialog the call kept. */
    private boolean fromAnotherFork(Request request) {
        String remoteTag = dialog == null ? null : dialog.getRemoteTag();
        String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        return remoteTag != null && fromTag != null && !remoteTag.equals(fromTag);
    }

    void onReoffer(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            Request request = event.getRequest();
            Optional<String> offer = SipMessages.sdpOf(request);
            Response response;
            try {
                response = ctx.sip().response(Response.OK, request);
                SipMessages.setSdp(response, offer.isEmpty() ? leg.createOffer() : leg.reoffer(offer.get(), sourceIpOf(event)));
                if (offer.isEmpty() && request.getMethod().equals(Request.INVITE)) {
                    offerInAnswer.offered(request);
                }
            } catch (SdpRejectedException e) {
                response = ctx.sip().response(e.sipStatus(), request);
            }
            response.addHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
            ctx.sip().respond(event, transaction, response);
        });
    }

    /** An ACK from the callee: the answer to the offer our 200 made to its offerless re-INVITE, if one is pending. */
    void onAck(Request ack) {
        executor.execute(() -> {
            if ((state != State.ACTIVE && state != State.ANSWERED) || !offerInAnswer.answeredBy(ack)) {
                return;
            }
            try {
                String answer = SipMessages.sdpOf(ack)
                        .orElseThrow(() -> new SdpRejectedException(488, "no SDP answer in the ACK of the re-INVITE"));
                leg.acceptAnswer(answer, sourceOfAck(ack));
                log.info("re-INVITE: answer in the ACK applied");
            } catch (SdpRejectedException e) {
                log.warn("re-INVITE: unusable answer in the ACK ({}): hanging up", e.reason());
                leg.hangup(EndReason.REMOTE_FAILURE.json());
                sendBye();
                finish(CallStatus.FAILED, EndReason.REMOTE_FAILURE, null);
            }
        });
    }

    void apiHangup() {
        executor.execute(() -> {
            switch (state) {
                case INVITING, RINGING -> {
                    log.info("cancelled by the API: CANCEL");
                    cancel(CallStatus.CANCELLED, EndReason.API_HANGUP);
                }
                case ANSWERED, ACTIVE -> hangUp(EndReason.API_HANGUP);
                default -> { }
            }
        });
    }

    void shutdown() {
        executor.execute(() -> {
            switch (state) {
                case INVITING, RINGING -> cancel(CallStatus.FAILED, EndReason.SHUTDOWN);
                case ANSWERED, ACTIVE -> hangUp(EndReason.SHUTDOWN);
                default -> { }
            }
        });
    }

    /** SIP INFO: 200, and a digit it carries goes to serve as {@code dtmf}. */
    void onInfo(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, event.getRequest()));
            SipMessages.dtmfOf(event.getRequest()).ifPresent(digit -> {
                log.debug("DTMF {} received in SIP INFO", digit);
                leg.receivedDigit(digit);
            });
        });
    }

    void sendDigits(String digits) {
        executor.execute(() -> leg.sendDtmf(digits));
    }

    @Override
    public boolean answered() {
        return state == State.ANSWERED || state == State.ACTIVE;
    }

    @Override
    public void onServeHangup(String endReason) {
        executor.execute(() -> {
            streamOpen = false;
            if (transfer != null && transfer.pending()) {
                transfer.streamEnded();
                return;
            }
            if (state == State.ACTIVE || state == State.ANSWERED) {
                log.info("serve ended the stream: BYE");
                sendBye();
                finish(CallStatus.COMPLETED, EndReason.APP_HANGUP, null);
            }
        });
    }

    @Override
    public void onStreamLost(String endReason) {
        executor.execute(() -> {
            streamOpen = false;
            if (transfer != null && transfer.pending()) {
                transfer.streamEnded();
                return;
            }
            if (state == State.ACTIVE || state == State.ANSWERED) {
                log.warn("stream to serve lost: BYE");
                sendBye();
                finish(CallStatus.COMPLETED, EndReason.WS_LOST, null);
            }
        });
    }

    @Override
    public void onRtpTimeout() {
        executor.execute(() -> hangUp(EndReason.RTP_TIMEOUT));
    }

    @Override
    public void onDtmf(char digit) {
        log.debug("DTMF {} received", digit);
    }

    private void hangUp(EndReason reason) {
        if (state != State.ACTIVE && state != State.ANSWERED) {
            return;
        }
        log.info("hanging up: {}", reason.json());
        leg.hangup(reason.json());
        sendBye();
        finish(reason == EndReason.API_HANGUP ? CallStatus.CANCELLED : CallStatus.COMPLETED, reason, null);
    }

    private void finish(CallStatus endStatus, EndReason endReason, Integer code) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        CallStatus status = endStatus;
        EndReason reason = endReason;
        if (transfer != null) {
            if (transfer.joined()) {
                // the callee was handed to a person: however the joined call ends, it was transferred
                status = CallStatus.TRANSFERRED;
                reason = endReason == EndReason.SHUTDOWN ? endReason : EndReason.TRANSFERRED;
            }
            transfer.callEnded();
        }
        cancelRingTimer();
        if (maxDuration != null) {
            maxDuration.cancel(false);
        }
        if (record.end(status, reason, code)) {
            ctx.statusCallbacks().send(record, "completed");
            log.info("call ended: {} ({}), {} s", status.json(), reason.json(), record.view().durationSec());
        }
        leg.hangup(reason.json());
        ctx.pool().execute(leg::close);
        onEnded.run();
    }

    private void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
            ringTimer = null;
        }
    }

    private static String sourceOf(Response response) {
        if (response instanceof gov.nist.javax.sip.message.SIPResponse r && r.getPeerPacketSourceAddress() != null) {
            return r.getPeerPacketSourceAddress().getHostAddress();
        }
        return null;
    }

    private static String sourceOfAck(Request ack) {
        if (ack instanceof gov.nist.javax.sip.message.SIPRequest r && r.getPeerPacketSourceAddress() != null) {
            return r.getPeerPacketSourceAddress().getHostAddress();
        }
        return null;
    }

    private static String sourceIpOf(RequestEvent event) {
        return SipEndpoint.sourceOf(event);
    }
}
