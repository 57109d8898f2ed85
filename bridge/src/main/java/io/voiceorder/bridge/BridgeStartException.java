package io.voiceorder.bridge;

/** The bridge could not start (a port taken, a part failing): the message is the sentence shown; exit status 1. */
public final class BridgeStartException extends RuntimeException {
    public BridgeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
