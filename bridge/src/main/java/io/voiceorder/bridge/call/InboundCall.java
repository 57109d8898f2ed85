package io.voiceorder.bridge.call;

import io.voiceorder.bridge.call.transfer.CallTransfer;
import io.voiceorder.bridge.call.transfer.TransferRoute;
import io.voiceorder.bridge.call.transfer.TransferableCall;
import io.voiceorder.bridge.callback.IncomingDecision;
import io.voiceorder.bridge.media.LegListener;
import io.voiceorder.bridge.media.MediaLeg;
import io.voiceorder.bridge.media.SdpRejectedException;
import io.voiceorder.bridge.media.StreamStart;
import io.voiceorder.bridge.sip.SipEndpoint;
import io.voiceorder.bridge.sip.SipMessages;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One inbound call (bridge.md §5.4) as an explicit state machine, all transitions on its own serial executor:
 * RINGING (180 sent; incoming callback, WebSocket) → ANSWERED (200 sent) → ACTIVE (ACK) → ENDED.
 * Nothing is answered before the stream to serve is open; serve unreachable → 503, never a 200.
 */
public final class InboundCall implements LegListener, TransferableCall {
    enum State { RINGING, ANSWERED, ACTIVE, ENDED }

    private final CallContext ctx;
    private final CallRecord record;
    private final MediaLeg leg;
    private final ServerTransaction invite;
    private final Dialog dialog;
    private final String toTag;
    private final String sourceIp;
    private final SerialExecutor executor;
    private final CallLog log;
    private final Runnable onEnded;
    private final String localSdp;
    private final boolean delayedOffer;
    private State state = State.RINGING;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> maxDuration;
    private boolean streamOpen;
    private CallTransfer transfer;
    private final TransferRoute route;
    private final OfferInAnswer offerInAnswer = new OfferInAnswer();

    InboundCall(CallContext ctx, CallRecord record, MediaLeg leg, ServerTransaction invite, Dialog dialog, String toTag,
                String sourceIp, TransferRoute route, String localSdp, boolean delayedOffer, Runnable onEnded) {
        this.ctx = ctx;
        this.record = record;
        this.leg = leg;
        this.invite = invite;
        this.dialog = dialog;
        this.toTag = toTag;
        this.sourceIp = sourceIp;
        this.route = route;
        this.localSdp = localSdp;
        this.delayedOffer = delayedOffer;
        this.onEnded = onEnded;
        this.executor = new SerialExecutor(ctx.pool());
        this.log = new CallLog(LoggerFactory.getLogger(InboundCall.class), record.sid());
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
        return route;
    }

    @Override
    public String partyNumber() {
        return record.from();
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
        bye(CallStatus.TRANSFERRED, EndReason.TRANSFERRED, null);
    }

    @Override
    public void endTransferFailed() {
        if (state == State.ENDED) {
            return;
        }
        leg.hangup(EndReason.TRANSFER_FAILED.json());
        bye(CallStatus.COMPLETED, EndReason.TRANSFER_FAILED, null);
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

    /** After 100 Trying and the checks: 180, the incoming callback, then the stream, then 200. */
    void begin(boolean sendRinging) {
        executor.execute(() -> {
            if (sendRinging) {
                respond(Response.RINGING, null);
            }
            ctx.statusCallbacks().send(record, "ringing");
            if (ctx.incomingCallback().isPresent()) {
                log.info("incoming callback consulted before answering");
                ctx.incomingCallback().get().ask(record).thenAccept(d -> executor.execute(() -> decided(d)));
            } else {
                openStream(Optional.empty());
            }
        });
    }

    private void decided(IncomingDecision decision) {
        if (state != State.RINGING) {
            log.info("incoming callback answered after the call ended: decision ignored");
            return;
        }
        decision.callbackUrl().ifPresent(record::callbackUrl);
        switch (decision.action()) {
            case ACCEPT -> {
                log.info("incoming callback: accept");
                record.mergeParams(decision.customParams());
                openStream(decision.wsTarget());
            }
            case REJECT -> {
                log.info("incoming callback: reject with {}", decision.statusCode());
                ctx.metrics().inviteRefused("callback_reject");
                refuse(decision.statusCode(), CallStatus.FAILED, EndReason.REJECTED);
            }
            case IGNORE -> {
                log.info("incoming callback: ignore; ringing until the caller gives up (at most {} s)",
                        ctx.timings().ignoredCallRing().toSeconds());
                timer = ctx.timers().schedule(() -> executor.execute(() -> {
                    if (state == State.RINGING) {
                        refuse(Response.TEMPORARILY_UNAVAILABLE, CallStatus.NO_ANSWER, EndReason.REJECTED);
                    }
                }), ctx.timings().ignoredCallRing().toMillis(), TimeUnit.MILLISECONDS);
            }
            case FALLBACK -> {
                if (ctx.config().noAutoAnswer()) {
                    log.info("incoming callback failed ({}): 480 under --no-auto-answer", decision.why());
                    refuse(Response.TEMPORARILY_UNAVAILABLE, CallStatus.NO_ANSWER, EndReason.REJECTED);
                } else {
                    log.info("incoming callback failed ({}): answering", decision.why());
                    openStream(Optional.empty());
                }
            }
        }
    }

    private void openStream(Optional<String> wsOverride) {
        URI target = wsOverride.map(URI::create).orElse(null);
        StreamStart start = new StreamStart(record.from(), "inbound", record.to(), record.customParams(), target);
        leg.connectStream(start, this).whenComplete((ok, error) -> executor.execute(() -> {
            if (error != null) {
                streamFailed(error);
            } else {
                streamOpened();
            }
        }));
    }

    private void streamOpened() {
        if (state != State.RINGING) {
            leg.hangup("cancelled-by-caller");
            return;
        }
        streamOpen = true;
        log.info("stream to serve connected; answering");
        respond(Response.OK, localSdp);
        state = State.ANSWERED;
        record.advance(CallStatus.ANSWERED);
        if (!delayedOffer) {
            leg.startMedia();
        }
        ctx.statusCallbacks().send(record, "answered");
        int max = ctx.config().maxCallDurationSec();
        if (max > 0) {
            maxDuration = ctx.timers().schedule(() -> executor.execute(() -> hangUp(EndReason.MAX_DURATION)), max, TimeUnit.SECONDS);
        }
        timer = ctx.timers().schedule(() -> executor.execute(() -> {
            if (state == State.ANSWERED) {
                log.warn("no ACK within {} s: hanging up", ctx.timings().ackTimeout().toSeconds());
                bye(CallStatus.FAILED, EndReason.ACK_TIMEOUT, "ack-timeout");
            }
        }), ctx.timings().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void streamFailed(Throwable error) {
        if (state != State.RINGING) {
            return;
        }
        Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        log.warn("serve is unreachable ({}): 503, the call is not answered", cause.getMessage());
        ctx.metrics().inviteRefused("ws_unreachable");
        Response response = ctx.sip().response(Response.SERVICE_UNAVAILABLE, invite.getRequest());
        sendFinal(response);
        end(CallStatus.FAILED, EndReason.WS_UNREACHABLE, Response.SERVICE_UNAVAILABLE);
    }

    void onAck(Request ack) {
        executor.execute(() -> {
            if (state == State.ACTIVE && offerInAnswer.answeredBy(ack)) {
                acceptAnswerOfReInvite(ack);
                return;
            }
            if (state != State.ANSWERED) {
                return;
            }
            cancelTimer();
            if (delayedOffer) {
                Optional<String> answer = SipMessages.sdpOf(ack);
                try {
                    if (answer.isEmpty()) {
                        throw new SdpRejectedException(488, "no SDP answer in the ACK");
                    }
                    leg.acceptAnswer(answer.get(), sourceIp);
                    leg.startMedia();
                } catch (SdpRejectedException e) {
                    log.warn("delayed offer: unusable answer in the ACK ({}): hanging up", e.reason());
                    bye(CallStatus.FAILED, EndReason.REMOTE_FAILURE, "remote-failure");
                    return;
                }
            }
            state = State.ACTIVE;
            record.advance(CallStatus.ACTIVE);
            log.info("call active");
        });
    }

    /** The answer to the offer our 200 made to an offerless re-INVITE: applied as any answer (none usable → BYE). */
    private void acceptAnswerOfReInvite(Request ack) {
        try {
            String answer = SipMessages.sdpOf(ack)
                    .orElseThrow(() -> new SdpRejectedException(488, "no SDP answer in the ACK of the re-INVITE"));
            leg.acceptAnswer(answer, sourceIp);
            log.info("re-INVITE: answer in the ACK applied");
        } catch (SdpRejectedException e) {
            log.warn("re-INVITE: unusable answer in the ACK ({}): hanging up", e.reason());
            bye(CallStatus.FAILED, EndReason.REMOTE_FAILURE, "remote-failure");
        }
    }

    void onBye(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, event.getRequest()));
            if (state == State.ENDED) {
                return;
            }
            log.info("caller hung up (BYE)");
            leg.hangup("caller-hangup");
            end(CallStatus.COMPLETED, EndReason.CALLER_HANGUP, null);
        });
    }

    void onCancel(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, event.getRequest()));
            if (state != State.RINGING) {
                return;
            }
            log.info("caller cancelled before the answer");
            sendFinal(ctx.sip().response(Response.REQUEST_TERMINATED, invite.getRequest()));
            leg.hangup("cancelled-by-caller");
            end(CallStatus.CANCELLED, EndReason.CANCELLED_BY_CALLER, Response.REQUEST_TERMINATED);
        });
    }

    /** Re-INVITE or UPDATE: the same stream, a new answer from the media side (never a second WebSocket). */
    void onReoffer(RequestEvent event, ServerTransaction transaction) {
        executor.execute(() -> {
            Request request = event.getRequest();
            if (state == State.ENDED) {
                ctx.sip().respond(event, transaction, ctx.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
            Optional<String> offer = SipMessages.sdpOf(request);
            Response response;
            if (offer.isEmpty()) {
                response = ctx.sip().response(Response.OK, request);
                SipMessages.setSdp(response, leg.createOffer());
                if (request.getMethod().equals(Request.INVITE)) {
                    offerInAnswer.offered(request);
                }
            } else {
                try {
                    String answer = leg.reoffer(offer.get(), sourceIp);
                    response = ctx.sip().response(Response.OK, request);
                    SipMessages.setSdp(response, answer);
                } catch (SdpRejectedException e) {
                    log.info("re-offer refused: {} {}", e.sipStatus(), e.reason());
                    response = ctx.sip().response(e.sipStatus(), request);
                    response.addHeader(SipMessages.header("Warning", "305 " + ctx.sip().advertisedHost() + " \"Incompatible media format\""));
                }
            }
            response.addHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
            ctx.sip().respond(event, transaction, response);
        });
    }

    /** DELETE /api/calls/{sid}: BYE when answered, 480 before. */
    void apiHangup() {
        executor.execute(() -> {
            if (state == State.RINGING) {
                log.info("hung up by the API before the answer: 480");
                sendFinal(ctx.sip().response(Response.TEMPORARILY_UNAVAILABLE, invite.getRequest()));
                leg.hangup("api-hangup");
                end(CallStatus.CANCELLED, EndReason.API_HANGUP, Response.TEMPORARILY_UNAVAILABLE);
            } else {
                hangUp(EndReason.API_HANGUP);
            }
        });
    }

    /** Shutdown: BYE when answered, 480 when not. */
    void shutdown() {
        executor.execute(() -> {
            if (state == State.RINGING) {
                sendFinal(ctx.sip().response(Response.TEMPORARILY_UNAVAILABLE, invite.getRequest()));
                leg.hangup("shutdown");
                end(CallStatus.FAILED, EndReason.SHUTDOWN, Response.TEMPORARILY_UNAVAILABLE);
            } else {
                hangUp(EndReason.SHUTDOWN);
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

    // ---- LegListener: any thread, never blocks ----

    @Override
    public void onServeHangup(String endReason) {
        executor.execute(() -> {
            streamOpen = false;
            if (transfer != null && transfer.pending()) {
                transfer.streamEnded();
                return;
            }
            log.info("serve ended the stream: BYE");
            bye(CallStatus.COMPLETED, EndReason.APP_HANGUP, null);
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
            log.warn("stream to serve lost: BYE");
            bye(CallStatus.COMPLETED, EndReason.WS_LOST, null);
        });
    }

    @Override
    public void onRtpTimeout() {
        executor.execute(() -> {
            log.warn("no RTP from the caller for {} s: BYE", ctx.config().rtpTimeoutSec());
            hangUp(EndReason.RTP_TIMEOUT);
        });
    }

    @Override
    public void onDtmf(char digit) {
        log.debug("DTMF {} received", digit);
    }

    // ---- internals, on the executor ----

    private void hangUp(EndReason reason) {
        if (state == State.ENDED || state == State.RINGING) {
            return;
        }
        log.info("hanging up: {}", reason.json());
        leg.hangup(reason.json());
        bye(reason == EndReason.API_HANGUP ? CallStatus.CANCELLED : CallStatus.COMPLETED, reason, null);
    }

    private void bye(CallStatus status, EndReason reason, String streamReason) {
        if (state == State.ENDED) {
            return;
        }
        if (streamReason != null) {
            leg.hangup(streamReason);
        }
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
        end(status, reason, null);
    }

    private void refuse(int code, CallStatus status, EndReason reason) {
        sendFinal(ctx.sip().response(code, invite.getRequest()));
        leg.hangup(reason.json());
        end(status, reason, code);
    }

    private void respond(int code, String sdp) {
        Response response = ctx.sip().response(code, invite.getRequest());
        SipMessages.setToTag(response, toTag);
        response.addHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
        if (code == Response.OK) {
            for (var allow : ctx.sip().allow()) {
                response.addHeader(allow);
            }
        }
        if (sdp != null) {
            SipMessages.setSdp(response, sdp);
        }
        try {
            response.setHeader(SipMessages.header("Server", SipEndpoint.PRODUCT));
            invite.sendResponse(response);
        } catch (Exception e) {
            log.warn("{} not sent: {}", code, e.toString());
        }
    }

    private void sendFinal(Response response) {
        SipMessages.setToTag(response, toTag);
        try {
            response.setHeader(SipMessages.header("Server", SipEndpoint.PRODUCT));
            invite.sendResponse(response);
        } catch (Exception e) {
            log.debug("final response {} not sent: {}", response.getStatusCode(), e.toString());
        }
    }

    private void end(CallStatus endStatus, EndReason endReason, Integer code) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        CallStatus status = endStatus;
        EndReason reason = endReason;
        if (transfer != null) {
            if (transfer.joined()) {
                // the caller was handed to a person: however the joined call ends, it was transferred
                status = CallStatus.TRANSFERRED;
                reason = endReason == EndReason.SHUTDOWN ? endReason : EndReason.TRANSFERRED;
            }
            transfer.callEnded();
        }
        cancelTimer();
        if (maxDuration != null) {
            maxDuration.cancel(false);
        }
        if (record.end(status, reason, code)) {
            ctx.statusCallbacks().send(record, "completed");
            Map<String, Object> media = record.view().media();
            log.info("call ended: {} ({}), {} s{}", status.json(), reason.json(), record.view().durationSec(),
                    media == null ? "" : ", media " + summary(media));
        }
        ctx.pool().execute(leg::close);
        onEnded.run();
    }

    private static String summary(Map<String, Object> media) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : new String[] {"rtpIn", "rtpOut", "lostIn", "jitterMs", "paceGapP99Ms", "marksEchoed", "clears", "discardedMs"}) {
            s.put(k, media.get(k));
        }
        return s.toString();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
