package io.voiceorder.bridge.stream;

/** The WebSocket to serve could not be opened. */
public final class StreamConnectException extends Exception {
    /** The metric result of a failed connect. */
    public enum Kind { REFUSED, TIMEOUT, REJECTED }

    private final Kind kind;
    private final int httpStatus;

    public StreamConnectException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** The upgrade's HTTP status when serve answered one, else 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
