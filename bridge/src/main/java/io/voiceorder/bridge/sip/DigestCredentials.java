package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.config.Secret;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Answers SIP digest challenges (RFC 3261 §22, RFC 2617) for any realm: MD5, with {@code qop=auth}
 * (cnonce, nc) when offered, else without qop.
 */
public final class DigestCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final Secret password;
    private String lastNonce;
    private int nonceCount;

    public DigestCredentials(String username, Secret password) {
        this.username = username;
        this.password = password;
    }

    /**
     * The Authorization (401) or Proxy-Authorization (407) header answering {@code challenge}.
     *
     * @throws ParseException when the challenge uses an algorithm other than MD5
     */
    public synchronized AuthorizationHeader answer(WWWAuthenticateHeader challenge, String method, String uri,
                                                   HeaderFactory headers) throws ParseException {
        String algorithm = challenge.getAlgorithm();
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            throw new ParseException("digest algorithm " + algorithm + " is not supported", 0);
        }
        String realm = challenge.getRealm() == null ? "" : challenge.getRealm();
        String nonce = challenge.getNonce() == null ? "" : challenge.getNonce();
        if (!nonce.equals(lastNonce)) {
            lastNonce = nonce;
            nonceCount = 0;
        }
        String qop = challenge.getQop();
        boolean useQop = qop != null && qop.toLowerCase(Locale.ROOT).matches("(^|.*[\\s,])auth($|[\\s,].*)");
        String ha1 = md5(username + ":" + realm + ":" + password.reveal());
        String ha2 = md5(method + ":" + uri);
        AuthorizationHeader auth = challenge instanceof ProxyAuthenticateHeader
                ? headers.createProxyAuthorizationHeader("Digest")
                : headers.createAuthorizationHeader("Digest");
        auth.setUsername(username);
        auth.setRealm(realm);
        auth.setNonce(nonce);
        auth.setURI(toUri(uri));
        auth.setAlgorithm("MD5");
        if (challenge.getOpaque() != null) {
            auth.setOpaque(challenge.getOpaque());
        }
        if (useQop) {
            nonceCount++;
            String nc = String.format("%08x", nonceCount);
            String cnonce = HexFormat.of().formatHex(randomBytes(8));
            auth.setQop("auth");
            auth.setNonceCount(nonceCount);
            auth.setCNonce(cnonce);
            auth.setResponse(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2));
        } else {
            auth.setResponse(md5(ha1 + ":" + nonce + ":" + ha2));
        }
        return auth;
    }

    public String username() {
        return username;
    }

    private static javax.sip.address.URI toUri(String uri) throws ParseException {
        return SipFactories.ADDRESSES.createURI(uri);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
