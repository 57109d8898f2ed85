package io.voiceorder.bridge.registrar;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Self-validating digest nonces (bridge.md §5.2): {@code <issued-at hex>.<HMAC-SHA256(time:source IP)>} under a
 * per-process random key, so nothing is stored per challenge. A nonce is valid from its source IP for
 * {@link #LIFETIME}, then stale; one from another IP, or forged, is invalid.
 */
public final class NonceService {
    public static final Duration LIFETIME = Duration.ofSeconds(300);

    /** What a presented nonce is worth. */
    public enum Freshness { VALID, STALE, INVALID }

    private final byte[] key = new byte[32];
    private final Clock clock;

    public NonceService(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    public String issue(String sourceIp) {
        String time = Long.toHexString(clock.millis() / 1000);
        return time + "." + mac(time, sourceIp);
    }

    public Freshness check(String nonce, String sourceIp) {
        if (nonce == null) {
            return Freshness.INVALID;
        }
        int dot = nonce.indexOf('.');
        if (dot <= 0) {
            return Freshness.INVALID;
        }
        String time = nonce.substring(0, dot);
        byte[] presented = nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, mac(time, sourceIp).getBytes(StandardCharsets.US_ASCII))) {
            return Freshness.INVALID;
        }
        long issued;
        try {
            issued = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return Freshness.INVALID;
        }
        long age = clock.millis() / 1000 - issued;
        return age >= 0 && age <= LIFETIME.toSeconds() ? Freshness.VALID : Freshness.STALE;
    }

    private String mac(String time, String sourceIp) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = hmac.doFinal((time + ":" + sourceIp).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
