package io.voiceorder.bridge.guard;

import java.util.List;
import java.util.Locale;

/** The User-Agents of known SIP scanners (bridge.md §9.2), matched as case-insensitive substrings. */
public final class ScannerUserAgents {
    static final List<String> MARKERS = List.of("friendly-scanner", "sipvicious", "sipcli", "sip-scan", "iwar", "sundayddr",
            "vaxsipuseragent", "pplsip");

    private ScannerUserAgents() {
    }

    /** @param userAgent a User-Agent header value, or null when the request has none */
    public static boolean matches(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return false;
        }
        String lower = userAgent.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (lower.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
