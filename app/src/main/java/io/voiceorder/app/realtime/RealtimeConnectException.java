package io.voiceorder.app.realtime;

/** OpenAI Realtime could not be reached; {@link #reason()} is a code for logs and /health, never a message. */
public final class RealtimeConnectException extends RuntimeException {
    private final String reason;
    private final boolean retryable;

    public RealtimeConnectException(String reason, boolean retryable) {
        super(reason, null, false, false);
        this.reason = reason;
        this.retryable = retryable;
    }

    /** e.g. {@code http_401}, {@code http_429}, {@code connect_timeout}, {@code connect_refused}. */
    public String reason() {
        return reason;
    }

    /** False for answers that will not change on a retry (401, 403). */
    public boolean retryable() {
        return retryable;
    }
}
