package io.voiceorder.bridge.config;

import java.util.Locale;

/** How a transfer is made (bridge.md §5.9, {@code --transfer-mode}): REFER first then bridged, REFER only, bridged only. */
public enum TransferMode {
    AUTO, REFER, BRIDGE;

    public static TransferMode of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
