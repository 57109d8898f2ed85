package io.voiceorder.bridge.registrar;

/** One configured device as {@code /health} lists it (bridge.md §3.3); the binding fields are null while unregistered. */
public record DeviceStatus(String user, boolean registered, String contact, String source, Long expiresInS, Boolean reachable,
                           String userAgent) {
}
