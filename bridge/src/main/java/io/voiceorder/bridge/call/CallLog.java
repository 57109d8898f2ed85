package io.voiceorder.bridge.call;

import org.slf4j.Logger;
import org.slf4j.MDC;

/** Log lines of one call, each with {@code callSid} in the logging context (bridge.md §10.1). */
public final class CallLog {
    private final Logger log;
    private final String sid;

    public CallLog(Logger log, String sid) {
        this.log = log;
        this.sid = sid;
    }

    public void info(String format, Object... args) {
        MDC.put("callSid", sid);
        try {
            log.info(format, args);
        } finally {
            MDC.remove("callSid");
        }
    }

    public void warn(String format, Object... args) {
        MDC.put("callSid", sid);
        try {
            log.warn(format, args);
        } finally {
            MDC.remove("callSid");
        }
    }

    public void debug(String format, Object... args) {
        if (!log.isDebugEnabled()) {
            return;
        }
        MDC.put("callSid", sid);
        try {
            log.debug(format, args);
        } finally {
            MDC.remove("callSid");
        }
    }
}
