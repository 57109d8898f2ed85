package io.voiceorder.bridge.stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * {@code X-Twilio-Signature} of a stream upgrade (bridge.md §7.1): base64(HMAC-SHA1(secret, URL)),
 * URL being the configured signature URL, or the dialled URL with its scheme written {@code wss}.
 */
public final class UpgradeSignature {
    public static final String HEADER = "X-Twilio-Signature";

    private UpgradeSignature() {
    }

    /** The URL the signature covers for a dialled target. */
    public static String signedUrl(URI dialled) {
        String text = dialled.toString();
        String scheme = dialled.getScheme();
        return scheme == null ? text : "wss" + text.substring(scheme.length());
    }

    public static String sign(String secret, String url) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
