package io.voiceorder.app.agent.tools;

/**
 * An argument the model sent does not pass validation; the tool answers with {@code error} and
 * nothing is done.
 */
final class InvalidArgumentException extends Exception {
    private final String code;
    private final String field;

    InvalidArgumentException(String code, String field, String problem) {
        super(field + ": " + problem, null, false, false);
        this.code = code;
        this.field = field;
    }

    /** {@code invalid_arguments} or {@code invalid_time}. */
    String code() {
        return code;
    }

    String field() {
        return field;
    }
}
