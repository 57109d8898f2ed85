package io.voiceorder.bridge.registrar;

/**
 * One configured device as {@code /health} lists it (bridge.md §3.3); the binding fields are null while unregistered.
 * {@code sourceHost} is the IP of {@code source}, to tell whether the device's address is banned.
 */
public record DeviceStatus(String user, boolean registered, String contact, String source, String sourceHost, Long expiresInS,
                           Boolean reachable, String userAgent) {
}
