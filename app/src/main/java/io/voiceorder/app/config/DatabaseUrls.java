package io.voiceorder.app.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code DATABASE_URL} forms: JDBC URLs as they are, and the {@code postgres[ql]://user:password@host:port/db}
 * form many hosts hand out, turned into a JDBC URL plus credentials. Also masks passwords for messages.
 */
public final class DatabaseUrls {
    private DatabaseUrls() {
    }

    /** A JDBC URL with the credentials found in the original URL (if any). */
    public record Jdbc(String url, Optional<String> user, Optional<String> password) {
    }

    public static Jdbc toJdbc(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("postgres://") || lower.startsWith("postgresql://"))) {
            return new Jdbc(url, Optional.empty(), Optional.empty());
        }
        URI uri = URI.create(url);
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) {
                password = Optional.of(decode(info.substring(colon + 1)));
            }
        }
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new Jdbc("jdbc:postgresql://" + hostPort + uri.getRawPath() + query, user, password);
    }

    /** The URL with any password replaced by {@code ***}: safe for messages and logs. */
    public static String maskPassword(String url) {
        return url
                .replaceAll("(?i)(://[^:/@]*:)[^/]*@", "$1***@")
                .replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
