package io.voiceorder.bridge.call;

import java.util.OptionalLong;

/** A call operation refused before anything was sent: the HTTP status, error code and sentence of the API reply. */
public final class CallRefusedException extends Exception {
    private final int httpStatus;
    private final String code;
    private final OptionalLong retryAfterSec;

    public CallRefusedException(int httpStatus, String code, String message) {
        this(httpStatus, code, message, OptionalLong.empty());
    }

    public CallRefusedException(int httpStatus, String code, String message, OptionalLong retryAfterSec) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfterSec = retryAfterSec;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public OptionalLong retryAfterSec() {
        return retryAfterSec;
    }
}
