package io.voiceorder.app.twilio;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code X-Twilio-Signature}: Base64(HMAC-SHA1(key, url + sorted form parameters)). Twilio signs
 * webhooks with the account's auth token; the bridge signs its stream upgrade with the media-stream
 * secret. Comparison is constant-time, and each URL is also tried with its default port added or
 * removed, as Twilio's own validators do.
 */
public final class TwilioSignature {
    private TwilioSignature() {
    }

    /** The signature of {@code url} followed by each parameter (sorted by name, then value) as name+value. */
    public static String compute(String key, String url, List<Map.Entry<String, String>> params) {
        StringBuilder data = new StringBuilder(url);
        List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
        sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue(Comparator.naturalOrder())));
        for (Map.Entry<String, String> p : sorted) {
            data.append(p.getKey()).append(p.getValue());
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** True when {@code signature} matches one of {@code urls} (each with and without its default port). */
    public static boolean matches(String key, String signature, List<String> urls, List<Map.Entry<String, String>> params) {
        if (signature == null || signature.isEmpty() || key.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String url : withPortVariants(urls)) {
            byte[] expected = compute(key, url, params).getBytes(StandardCharsets.UTF_8);
            // Check every candidate so timing does not tell which one matched.
            ok |= MessageDigest.isEqual(expected, given);
        }
        return ok;
    }

    static Set<String> withPortVariants(List<String> urls) {
        Set<String> all = new LinkedHashSet<>();
        for (String url : urls) {
            all.add(url);
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (uri.getScheme() == null || uri.getHost() == null) {
                continue;
            }
            int defaultPort = switch (uri.getScheme()) {
                case "https", "wss" -> 443;
                case "http", "ws" -> 80;
                default -> -1;
            };
            String rest = (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
            if (uri.getPort() == -1 && defaultPort > 0) {
                all.add(uri.getScheme() + "://" + host + ":" + defaultPort + rest);
            } else if (uri.getPort() == defaultPort) {
                all.add(uri.getScheme() + "://" + host + rest);
            }
        }
        return all;
    }
}
