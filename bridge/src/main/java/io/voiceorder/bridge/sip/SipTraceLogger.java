package io.voiceorder.bridge.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.sip.SipStack;
import javax.sip.header.CallIdHeader;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Every SIP message in and out, whole, at DEBUG on logger {@code voiceorder.sip.trace} (--log-level debug),
 * with direction, peer and the call sid when known; secrets masked by {@link SipTraceMask}.
 * JAIN-SIP instantiates it by class name, so the masking inputs are registered statically.
 */
public final class SipTraceLogger implements ServerLogger {
    private static final Logger LOG = LoggerFactory.getLogger("voiceorder.sip.trace");
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    private static volatile Function<String, String> callSidOfCallId = callId -> null;

    static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    /** Values that must never appear in a trace (the trunk password, tokens). */
    static void addSecret(String secret) {
        if (secret != null && !secret.isEmpty() && !SECRETS.contains(secret)) {
            SECRETS.add(secret);
        }
    }

    public static void callSids(Function<String, String> lookup) {
        callSidOfCallId = lookup;
    }

    @Override
    public void closeLogFile() {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        trace(message, from, to, sender);
    }

    private static void trace(SIPMessage message, String from, String to, boolean sender) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        CallIdHeader callId = message.getCallId();
        String sid = callId == null ? null : callSidOfCallId.apply(callId.getCallId());
        String previous = MDC.get("callSid");
        if (sid != null) {
            MDC.put("callSid", sid);
        }
        try {
            LOG.debug("SIP {} {}\n{}", sender ? "out to" : "in from", sender ? to : from,
                    SipTraceMask.mask(message.encode(), SECRETS));
        } finally {
            if (sid != null) {
                if (previous == null) {
                    MDC.remove("callSid");
                } else {
                    MDC.put("callSid", previous);
                }
            }
        }
    }

    @Override
    public void logException(Exception ex) {
        LOG.debug("SIP stack exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }
}
