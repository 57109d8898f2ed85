package io.voiceorder.app.twilio;

/**
 * An outbound call that could not be placed or followed. The message is one sentence for the
 * command line: what went wrong and, when known, Twilio's error code — never a credential.
 */
public final class OutboundCallException extends Exception {
    public OutboundCallException(String message) {
        super(message);
    }

    public OutboundCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
