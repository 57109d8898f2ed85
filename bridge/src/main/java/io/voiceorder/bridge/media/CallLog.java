package io.voiceorder.bridge.media;

import org.slf4j.Logger;
import org.slf4j.MDC;

/** Log lines of one call, each carrying {@code callSid} in the logging context (bridge.md §10.1). */
final class CallLog {
    private final Logger log;
    private final String callSid;

    CallLog(Logger log, String callSid) {
        this.log = log;
        this.callSid = callSid;
    }

    void info(String format, Object... args) {
        if (log.isInfoEnabled()) {
            MDC.put("callSid", callSid);
            try {
                log.info(format, args);
            } finally {
                MDC.remove("callSid");
            }
        }
    }

    void warn(String format, Object... args) {
        if (log.isWarnEnabled()) {
            MDC.put("callSid", callSid);
            try {
                log.warn(format, args);
            } finally {
                MDC.remove("callSid");
            }
        }
    }

    void debug(String format, Object... args) {
        if (log.isDebugEnabled()) {
            MDC.put("callSid", callSid);
            try {
                log.debug(format, args);
            } finally {
                MDC.remove("callSid");
            }
        }
    }
}
