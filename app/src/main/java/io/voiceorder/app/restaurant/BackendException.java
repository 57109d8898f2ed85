package io.voiceorder.app.restaurant;

import java.util.Map;

/**
 * A failure of the restaurant backend. The {@link Kind} tells a tool which error code to report;
 * the message is for the log only (never shown to the model, never holding a secret); details
 * carry what the spec passes back (e.g. {@code status} of a non-cancellable order,
 * {@code seatsAvailable} when capacity ran out).
 */
public final class BackendException extends Exception {

    /** Why the backend could not do it. */
    public enum Kind {
        /** The backend cannot be reached or answered with an error (database down, 5xx, bad body). */
        UNAVAILABLE,
        /** No answer in time; for a read the outcome is simply unknown. */
        TIMEOUT,
        /** A write timed out or broke after it was sent: it may have happened (http {@code order_status_unknown}). */
        UNKNOWN_OUTCOME,
        /** The backend refused the request (4xx, constraint violation). */
        REFUSED,
        /** The order, reservation or restaurant is not found (or not the caller's). */
        NOT_FOUND,
        /** It exists but its state forbids the change (e.g. order already being prepared). */
        NOT_ALLOWED,
        /** Not enough seats when the reservation was re-checked. */
        NO_CAPACITY,
        /** Arguments the backend rejects as invalid. */
        INVALID
    }

    private final Kind kind;
    private final Map<String, Object> details;

    public BackendException(Kind kind, String message) {
        this(kind, message, Map.of(), null);
    }

    public BackendException(Kind kind, String message, Throwable cause) {
        this(kind, message, Map.of(), cause);
    }

    public BackendException(Kind kind, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.details = Map.copyOf(details);
    }

    public Kind kind() {
        return kind;
    }

    /** Spec details to pass back to the model, e.g. {@code status} or {@code seatsAvailable}. */
    public Map<String, Object> details() {
        return details;
    }
}
