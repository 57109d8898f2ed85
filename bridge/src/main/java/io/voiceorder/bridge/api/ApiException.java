package io.voiceorder.bridge.api;

import io.micronaut.http.HttpStatus;

/** An API error reply: {@code {"error": code, "message": sentence}} with the given status. */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Long retryAfterSec;

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(HttpStatus status, String code, String message, Long retryAfterSec) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSec = retryAfterSec;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Long retryAfterSec() {
        return retryAfterSec;
    }
}
