package io.voiceorder.bridge.sip;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks a SIP message for the debug trace (bridge.md §10.3): in Authorization and Proxy-Authorization
 * values only {@code username}, {@code realm} and {@code uri} stay readable; {@code response}, {@code nonce}
 * and {@code cnonce} become {@code ***}; any configured secret is replaced wherever it appears.
 */
public final class SipTraceMask {
    private static final Pattern AUTH_LINE = Pattern.compile("(?im)^((?:Proxy-)?Authorization\\s*:)(.*)$");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)\\b(response|nonce|cnonce)\\s*=\\s*(\"[^\"]*\"|[^,\\s]+)");

    private SipTraceMask() {
    }

    public static String mask(String message, Collection<String> secrets) {
        Matcher m = AUTH_LINE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String params = SECRET_PARAM.matcher(m.group(2)).replaceAll("$1=\"***\"");
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + params));
        }
        m.appendTail(out);
        String masked = out.toString();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }
}
