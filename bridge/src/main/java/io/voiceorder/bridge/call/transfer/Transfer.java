package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallContext;
import io.voiceorder.bridge.call.CallLog;
import io.voiceorder.bridge.call.TransferView;
import io.voiceorder.bridge.config.TransferMode;
import org.slf4j.LoggerFactory;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One blind transfer of a call (bridge.md §5.9): REFER first under {@code auto} and {@code refer}, a bridged
 * second leg under {@code bridge} or after a refused REFER under {@code auto}. Owns the {@link TransferState}
 * machine, shows it in the call object, and tells the API when the call was handed off or the transfer failed.
 * Runs on the call's serial executor.
 */
public final class Transfer implements CallTransfer {
    private final CallContext ctx;
    private final TransferableCall call;
    private final TransferTarget target;
    private final TransferMode mode;
    private final int timeoutSec;
    private final TransferLegs legs;
    private final CallLog log;
    private final CompletableFuture<Boolean> handedOff = new CompletableFuture<>();
    private TransferState state = TransferState.PENDING;
    private String method;
    private Integer sipCode;
    private ReferTransfer refer;
    private BridgedTransfer bridged;
    private boolean joined;
    private volatile TransferView started;

    Transfer(CallContext ctx, TransferableCall call, TransferTarget target, TransferMode mode, int timeoutSec, TransferLegs legs) {
        this.ctx = ctx;
        this.call = call;
        this.target = target;
        this.mode = mode;
        this.timeoutSec = timeoutSec;
        this.legs = legs;
        this.log = new CallLog(LoggerFactory.getLogger(Transfer.class), call.record().sid());
        this.method = mode == TransferMode.BRIDGE ? "bridge" : "refer";
    }

    void start() {
        publish();
        if (mode == TransferMode.BRIDGE) {
            startBridged();
        } else {
            log.info("transfer to {}: REFER (mode {})", target.shownDestination(), mode.json());
            refer = new ReferTransfer(ctx, call, this, target);
            refer.start();
        }
        // answers reach the call's executor after this task: the state is still the one the request started
        started = view();
    }

    /** The transfer as it was when started: what {@code wait: false} replies with. */
    public TransferView startedView() {
        return started;
    }

    private void startBridged() {
        method = "bridge";
        publish();
        log.info("transfer to {}: bridged second leg, ring timeout {} s", target.shownDestination(), timeoutSec);
        bridged = new BridgedTransfer(ctx, call, this, target, timeoutSec, legs);
        bridged.start();
    }

    // ---- the API's view ----

    public synchronized TransferView view() {
        return new TransferView(target.shownDestination(), method, state.json(), sipCode);
    }

    public String destination() {
        return target.shownDestination();
    }

    /** True when handed off (REFER accepted, bridged leg answered), false when failed, empty after {@code max}. */
    public Optional<Boolean> awaitOutcome(Duration max) {
        try {
            return Optional.of(handedOff.get(max.toMillis(), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(false);
        }
    }

    /** How long a waiting API reply may take at most: the REFER's answer, the ring timeout, and set-up slack. */
    public Duration longestWait() {
        return ctx.timings().referAnswer().plusSeconds(timeoutSec + 10L);
    }

    // ---- CallTransfer ----

    @Override
    public synchronized boolean pending() {
        return !state.isFinal();
    }

    @Override
    public boolean joined() {
        return joined;
    }

    @Override
    public void onNotify(RequestEvent event, ServerTransaction transaction) {
        if (refer != null) {
            refer.onNotify(event, transaction);
        } else {
            ctx.sip().respond(event, transaction, ctx.sip().response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, event.getRequest()));
        }
    }

    @Override
    public void streamEnded() {
        log.info("serve ended the stream while the transfer is pending: the caller's leg stays up");
    }

    @Override
    public void callEnded() {
        if (refer != null) {
            refer.callEnded();
        }
        if (bridged != null) {
            bridged.callEnded();
        }
        if (!state.isFinal()) {
            log.info("the call ended before the transfer completed");
            move(TransferState.FAILED, sipCode);
            ctx.metrics().transfer(method, "failed");
        }
        handedOff.complete(false);
    }

    // ---- REFER's steps ----

    void referAccepted(int code) {
        log.info("REFER accepted ({}): the far end is transferring the call", code);
        move(TransferState.ACCEPTED, code);
        handedOff.complete(true);
    }

    void referRefused(Integer code) {
        ctx.metrics().transfer("refer", "refused");
        if (mode == TransferMode.AUTO) {
            log.info("REFER refused ({}): falling back to a bridged transfer", code == null ? "no answer" : code);
            refer = null;
            startBridged();
            return;
        }
        log.info("REFER refused ({}): the call stays with serve", code == null ? "no answer" : code);
        failed(code);
    }

    void referProgress(int code) {
        if (code >= 180 && state == TransferState.ACCEPTED) {
            move(TransferState.RINGING, sipCode);
        }
    }

    void referSucceeded(Integer code) {
        log.info(code == null ? "no final NOTIFY in time: the call is assumed handed off; BYE"
                : "transfer succeeded (NOTIFY " + code + "): BYE");
        move(TransferState.SUCCEEDED, code == null ? sipCode : code);
        ctx.metrics().transfer("refer", "succeeded");
        handedOff.complete(true);
        call.endTransferred();
    }

    void referFailed(int code) {
        move(TransferState.FAILED, code);
        ctx.metrics().transfer("refer", "failed");
        handedOff.complete(false);
        if (call.streamOpen()) {
            log.info("transfer failed (NOTIFY {}): the caller is still connected and stays with serve", code);
        } else {
            log.info("transfer failed (NOTIFY {}) and serve's stream is closed: BYE", code);
            call.endTransferFailed();
        }
    }

    // ---- the bridged leg's steps ----

    void bridgedRinging() {
        move(TransferState.RINGING, sipCode);
    }

    void bridgedAnswered(int code) {
        joined = true;
        move(TransferState.SUCCEEDED, code);
        ctx.metrics().transfer("bridge", "succeeded");
        call.handedOff();
        log.info("the destination answered: legs joined, serve's stream closed");
        handedOff.complete(true);
    }

    void bridgedFailed(Integer code) {
        ctx.metrics().transfer("bridge", "failed");
        log.info("bridged transfer failed ({})", code == null ? "no answer" : code);
        failed(code);
        if (!call.streamOpen()) {
            log.info("serve's stream is closed: BYE");
            call.endTransferFailed();
        }
    }

    /** The destination hung up after the join: the caller's leg ends too. */
    void bridgedHungUp() {
        call.endTransferred();
    }

    private void failed(Integer code) {
        move(TransferState.FAILED, code);
        handedOff.complete(false);
    }

    private void move(TransferState next, Integer code) {
        synchronized (this) {
            if (state != next && !state.canMoveTo(next)) {
                return;
            }
            state = next;
            sipCode = code;
        }
        publish();
    }

    private void publish() {
        call.record().transfer(view());
    }
}
