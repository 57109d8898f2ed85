package io.voiceorder.bridge.config;

/**
 * A configuration or usage error of the bridge: the message is the whole sentence shown to the
 * operator (it names the flag, its variable and the fix, never a secret). The command exits with 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
