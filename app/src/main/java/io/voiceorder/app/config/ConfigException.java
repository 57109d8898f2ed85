package io.voiceorder.app.config;

/**
 * A configuration or usage error: the message is the whole sentence shown to the operator
 * (it names the variable and the fix, never a secret). The command exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
