package io.voiceorder.bridge.media;

/** The WebSocket to serve could not be opened (refused, timed out, or upgrade ≠ 101): SIP 503. */
public final class StreamUnreachableException extends Exception {
    /** ws_connects_total result: refused, timeout or rejected. */
    private final String result;
    private final int httpStatus;

    public StreamUnreachableException(String result, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.result = result;
        this.httpStatus = httpStatus;
    }

    public String result() {
        return result;
    }

    /** The upgrade's HTTP status when serve answered (e.g. 403, 429), else 0. */
    public int httpStatus() {
        return httpStatus;
    }
}
