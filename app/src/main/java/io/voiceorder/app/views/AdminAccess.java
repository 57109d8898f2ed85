package io.voiceorder.app.views;

import io.micronaut.http.HttpRequest;
import io.voiceorder.app.config.Secret;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Who may read the views (serve.md §3.6): with {@code ADMIN_TOKEN}, a request carrying
 * {@code Authorization: Bearer <token>}; without it, a loopback client with no forwarding header
 * (a local reverse proxy must not make the Internet look local).
 */
final class AdminAccess {
    private static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP");

    /** The decision: allowed, or the status to refuse with. */
    enum Decision { ALLOWED, UNAUTHORIZED, FORBIDDEN }

    private final Secret token;

    AdminAccess(Secret token) {
        this.token = token;
    }

    Decision check(HttpRequest<?> request) {
        if (token.isSet()) {
            String header = request.getHeaders().get("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                return Decision.UNAUTHORIZED;
            }
            byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, token.reveal().getBytes(StandardCharsets.UTF_8))
                    ? Decision.ALLOWED : Decision.UNAUTHORIZED;
        }
        InetAddress peer = request.getRemoteAddress().getAddress();
        boolean local = peer != null && peer.isLoopbackAddress()
                && FORWARDING_HEADERS.stream().noneMatch(h -> request.getHeaders().contains(h));
        return local ? Decision.ALLOWED : Decision.FORBIDDEN;
    }
}
