package io.voiceorder.bridge.call.transfer;

import io.voiceorder.bridge.call.CallContext;
import io.voiceorder.bridge.call.CallLog;
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
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REFER of a blind transfer (RFC 3515) in the call's dialog: {@code Refer-To} the routed destination,
 * {@code Referred-By} our AOR (RFC 3892). Its answer decides accepted or refused (≥ 300, or nothing within
 * 5 s); then the NOTIFYs' {@code message/sipfrag} bodies (RFC 3420) report the far end's INVITE: 1xx
 * pending, 2xx succeeded, ≥ 300 failed; no final NOTIFY within 30 s of the acceptance counts as handed off.
 * Runs on the call's serial executor.
 */
final class ReferTransfer {
    private static final Pattern SIPFRAG_STATUS = Pattern.compile("^\\s*SIP/2\\.0\\s+(\\d{3})");

    private final CallContext ctx;
    private final TransferableCall call;
    private final Transfer transfer;
    private final TransferTarget target;
    private final CallLog log;
    private ScheduledFuture<?> timer;
    private boolean answered;
    private boolean done;

    ReferTransfer(CallContext ctx, TransferableCall call, Transfer transfer, TransferTarget target) {
        this.ctx = ctx;
        this.call = call;
        this.transfer = transfer;
        this.target = target;
        this.log = new CallLog(LoggerFactory.getLogger(ReferTransfer.class), call.record().sid());
    }

    void start() {
        try {
            Dialog dialog = call.dialog();
            Request refer = dialog.createRequest(Request.REFER);
            refer.setHeader(SipMessages.header("Refer-To", "<" + target.uri() + ">"));
            refer.setHeader(SipMessages.header("Referred-By", "<sip:" + ctx.trunkUser() + "@" + ctx.config().sipDomain().host() + ">"));
            refer.setHeader(SipMessages.contact(ctx.trunkUser(), ctx.sip()));
            refer.setHeader(SipMessages.header("User-Agent", SipEndpoint.PRODUCT));
            ClientTransaction transaction = ctx.sip().provider().getNewClientTransaction(refer);
            transaction.setApplicationData(new SipEndpoint.ResponseHandler() {
                @Override
                public void onResponse(ResponseEvent event) {
                    call.execute(() -> answeredWith(event.getResponse()));
                }

                @Override
                public void onTimeout() {
                    call.execute(ReferTransfer.this::noAnswer);
                }
            });
            dialog.sendRequest(transaction);
        } catch (Exception e) {
            log.warn("REFER not sent: {}", e.toString());
            done = true;
            transfer.referRefused(null);
            return;
        }
        log.info("REFER sent: Refer-To <{}>", target.uri());
        timer = ctx.timers().schedule(() -> call.execute(this::noAnswer), ctx.timings().referAnswer().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void answeredWith(Response response) {
        int code = response.getStatusCode();
        if (answered || done || code < 200) {
            return;
        }
        cancelTimer();
        if (code < 300) {
            accepted(code);
            return;
        }
        done = true;
        transfer.referRefused(code);
    }

    private void accepted(int code) {
        answered = true;
        transfer.referAccepted(code);
        timer = ctx.timers().schedule(() -> call.execute(this::finalNotifyMissing), ctx.timings().referFinalNotify().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void noAnswer() {
        if (answered || done) {
            return;
        }
        log.info("REFER not answered within {} s", ctx.timings().referAnswer().toSeconds());
        done = true;
        transfer.referRefused(null);
    }

    private void finalNotifyMissing() {
        if (done) {
            return;
        }
        done = true;
        transfer.referSucceeded(null);
    }

    void onNotify(RequestEvent event, ServerTransaction transaction) {
        Request notify = event.getRequest();
        ctx.sip().respond(event, transaction, ctx.sip().response(Response.OK, notify));
        Optional<Integer> status = sipfragStatus(notify);
        if (done || status.isEmpty()) {
            return;
        }
        int code = status.get();
        log.info("NOTIFY: the far end's INVITE got {}", code);
        if (!answered) {
            // a NOTIFY may overtake the 202 (RFC 3515 §2.4.4): it accepts the REFER just as well
            cancelTimer();
            accepted(Response.ACCEPTED);
        }
        if (code < 200) {
            transfer.referProgress(code);
            return;
        }
        done = true;
        cancelTimer();
        if (code < 300) {
            transfer.referSucceeded(code);
        } else {
            transfer.referFailed(code);
        }
    }

    /** The status code of a {@code message/sipfrag} body's status line, if it holds one. */
    static Optional<Integer> sipfragStatus(Request notify) {
        byte[] body = notify.getRawContent();
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        Matcher m = SIPFRAG_STATUS.matcher(new String(body, StandardCharsets.UTF_8));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    void callEnded() {
        done = true;
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
