package io.voiceorder.app;

/** serve could not start for a reason outside the configuration (port taken, …): exit status 1. */
public final class ServerStartException extends RuntimeException {
    public ServerStartException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
