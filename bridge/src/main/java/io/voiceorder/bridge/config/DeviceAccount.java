package io.voiceorder.bridge.config;

/**
 * One registrar account of gateway mode ({@code --device USER:PASSWORD}, bridge.md §5.2). The password is a
 * {@link Secret}: {@link #toString()} never shows it.
 */
public record DeviceAccount(String user, Secret password) {
}
