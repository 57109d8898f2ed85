package io.voiceorder.bridge.callback;

import io.voiceorder.bridge.config.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code X-VoiceOrder-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>} (bridge.md §4.3);
 * payload = the raw body (POST) or the full URL with query (GET).
 */
public final class CallbackSigner {
    public static final String HEADER = "X-VoiceOrder-Signature";

    private final Secret secret;

    public CallbackSigner(Secret secret) {
        this.secret = secret;
    }

    public Optional<String> sign(String payload, Instant now) {
        if (!secret.isSet()) {
            return Optional.empty();
        }
        long t = now.getEpochSecond();
        return Optional.of("t=" + t + ",v1=" + hmac(secret.reveal(), t + "." + payload));
    }

    static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
