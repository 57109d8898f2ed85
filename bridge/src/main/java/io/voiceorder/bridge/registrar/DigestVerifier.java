package io.voiceorder.bridge.registrar;

import io.voiceorder.bridge.config.Secret;

import javax.sip.header.AuthorizationHeader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Server side of SIP digest (RFC 3261 §22.4, RFC 2617 §3.2.2): recomputes the expected {@code response} for a
 * device's password, MD5, with {@code qop=auth} or without qop, and compares it in constant time.
 */
final class DigestVerifier {
    private DigestVerifier() {
    }

    static boolean verify(AuthorizationHeader auth, String method, Secret password) {
        String algorithm = auth.getAlgorithm();
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            return false;
        }
        String presented = auth.getResponse();
        if (presented == null || auth.getURI() == null || auth.getNonce() == null) {
            return false;
        }
        String ha1 = md5(auth.getUsername() + ":" + auth.getRealm() + ":" + password.reveal());
        String ha2 = md5(method + ":" + auth.getURI());
        String expected;
        String qop = auth.getQop();
        if (qop == null || qop.isEmpty()) {
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + ha2);
        } else if (qop.equalsIgnoreCase("auth") && auth.getCNonce() != null && auth.getNonceCount() > 0) {
            String nc = String.format("%08x", auth.getNonceCount());
            expected = md5(ha1 + ":" + auth.getNonce() + ":" + nc + ":" + auth.getCNonce() + ":auth:" + ha2);
        } else {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
