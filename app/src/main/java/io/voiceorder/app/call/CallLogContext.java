package io.voiceorder.app.call;

import org.slf4j.MDC;

/**
 * Puts a call sid into the logging context for one block, for code that runs outside the call's
 * serial executor (answers of outbound HTTP requests arrive on the HTTP client's threads).
 */
public final class CallLogContext {
    public static final String KEY = "callSid";

    private CallLogContext() {
    }

    public static void run(String callSid, Runnable block) {
        String previous = MDC.get(KEY);
        MDC.put(KEY, callSid == null ? "-" : callSid);
        try {
            block.run();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
