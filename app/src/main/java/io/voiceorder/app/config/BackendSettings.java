package io.voiceorder.app.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which restaurant backend serve uses, how the embedded one finds its data, and who may read its
 * records: {@code VOICEORDER_BACKEND}, {@code RESTAURANT_FILE}, {@code DATABASE_URL}, {@code DATABASE_USER},
 * {@code DATABASE_PASSWORD}, {@code ADMIN_TOKEN} (serve.md §2.1, §3.6).
 *
 * @param restaurantFile the file or directory given; empty → {@code ./restaurant.yaml} if present, else the bundled sample
 * @param databaseUrl    as given: {@code jdbc:h2:…}, {@code jdbc:postgresql://…} or {@code postgres[ql]://user:password@host:port/db}
 * @param adminToken     bearer token of the read-only views; unset → loopback clients only
 */
public record BackendSettings(
        Kind kind,
        Optional<Path> restaurantFile,
        String databaseUrl,
        Optional<String> databaseUser,
        Secret databasePassword,
        Secret adminToken) {

    public static final String DEFAULT_DATABASE_URL =
            "jdbc:h2:file:./data/voiceorder;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";

    /** The adapter. */
    public enum Kind {
        EMBEDDED, HTTP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses the variables; a malformed value is a {@link ConfigException} naming it.
     * The http backend needs {@code RESTAURANT_ID} (§2.2).
     */
    public static BackendSettings parse(Map<String, String> vars) {
        String rawKind = raw(vars, "VOICEORDER_BACKEND");
        Kind kind;
        if (rawKind == null) {
            kind = raw(vars, "NEXT_API_URL") != null ? Kind.HTTP : Kind.EMBEDDED;
        } else {
            kind = switch (rawKind.toLowerCase(Locale.ROOT)) {
                case "embedded" -> Kind.EMBEDDED;
                case "http" -> Kind.HTTP;
                default -> throw new ConfigException("VOICEORDER_BACKEND must be embedded or http (got \"" + rawKind + "\").");
            };
        }
        if (kind == Kind.HTTP && raw(vars, "RESTAURANT_ID") == null) {
            throw new ConfigException("RESTAURANT_ID is not set (flag --restaurant-id). "
                    + "The http backend needs the restaurant's id in the back office.");
        }
        String url = Optional.ofNullable(raw(vars, "DATABASE_URL")).orElse(DEFAULT_DATABASE_URL);
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:postgresql://")
                || lower.startsWith("postgres://") || lower.startsWith("postgresql://"))) {
            throw new ConfigException("DATABASE_URL must be a jdbc:h2:, jdbc:postgresql:// or postgres:// URL (got \""
                    + DatabaseUrls.maskPassword(url) + "\").");
        }
        return new BackendSettings(
                kind,
                Optional.ofNullable(raw(vars, "RESTAURANT_FILE")).map(Path::of),
                url,
                Optional.ofNullable(raw(vars, "DATABASE_USER")),
                Secret.of(raw(vars, "DATABASE_PASSWORD")),
                Secret.of(raw(vars, "ADMIN_TOKEN")));
    }

    /** The embedded backend with the defaults: tests start from it. */
    public static BackendSettings defaults() {
        return parse(Map.of());
    }

    private static String raw(Map<String, String> vars, String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
