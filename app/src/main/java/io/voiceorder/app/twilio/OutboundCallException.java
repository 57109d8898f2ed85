package io.voiceorder.app.twilio;

/**
 * An outbound call that could not be placed or followed. The message is one sentence for the
 * command line: what went wrong and, when known, Twilio's error code — never a credential.
 * A refusal (missing setting, credentials or request refused by Twilio) needs the user to change
 * something; anything else (Twilio unreachable, a server error) may pass by itself.
 */
public final class OutboundCallException extends Exception {
    private final boolean refusal;

    /** A refusal: a setting is missing or wrong, or Twilio refused the request. */
    public OutboundCallException(String message) {
        super(message);
        this.refusal = true;
    }

    /** Twilio could not be reached or did not answer in time. */
    public OutboundCallException(String message, Throwable cause) {
        super(message, cause);
        this.refusal = false;
    }

    OutboundCallException(String message, boolean refusal) {
        super(message);
        this.refusal = refusal;
    }

    /** True when retrying as is cannot help: the message says what to change. */
    public boolean isRefusal() {
        return refusal;
    }
}
