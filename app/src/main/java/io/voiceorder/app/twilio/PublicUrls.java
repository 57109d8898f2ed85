package io.voiceorder.app.twilio;

import io.micronaut.http.HttpRequest;
import io.voiceorder.app.config.ServeConfig;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the outside world reaches serve: {@code PUBLIC_URL} when set (it may carry a path prefix a
 * reverse proxy strips), else what the request says about itself (forwarding headers, then Host).
 */
@Singleton
public final class PublicUrls {
    public static final String STREAM_PATH = "/media-stream";

    private final Optional<String> configured;

    public PublicUrls(ServeConfig config) {
        this.configured = config.publicUrl().map(u -> stripSlash(u.toString()));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code https://voice.example.com} — no trailing slash. */
    public String base(HttpRequest<?> request) {
        return configured.orElseGet(() -> {
            String proto = request.getHeaders().get("X-Forwarded-Proto");
            String host = request.getHeaders().get("X-Forwarded-Host");
            if (host == null) {
                host = request.getHeaders().get("Host");
            }
            return (proto == null ? "https" : proto) + "://" + (host == null ? "localhost" : host);
        });
    }

    /** The stream URL for TwiML: the base with {@code https}→{@code wss}, plus the path; never a query. */
    public String streamUrl(HttpRequest<?> request) {
        return toWebSocket(base(request)) + STREAM_PATH;
    }

    /** The public base as a human reads it, for the start-up summary and the home page. */
    public Optional<String> configuredBase() {
        return configured;
    }

    static String toWebSocket(String httpUrl) {
        if (httpUrl.startsWith("https://")) {
            return "wss://" + httpUrl.substring(8);
        }
        if (httpUrl.startsWith("http://")) {
            return "ws://" + httpUrl.substring(7);
        }
        return httpUrl;
    }

    /**
     * The URLs a stream upgrade may have been signed over: the public one, and {@code wss://} and
     * {@code ws://} on the request's Host (what the bridge signs when it dials serve directly); each
     * with the upgrade's query string when there is one.
     */
    public List<String> streamCandidates(HttpRequest<?> request) {
        List<String> bases = new ArrayList<>();
        configured.ifPresent(b -> bases.add(toWebSocket(b) + STREAM_PATH));
        String host = request.getHeaders().get("Host");
        if (host != null) {
            bases.add("wss://" + host + STREAM_PATH);
            bases.add("ws://" + host + STREAM_PATH);
        }
        String query = request.getUri().getRawQuery();
        List<String> result = new ArrayList<>(bases);
        if (query != null && !query.isEmpty()) {
            bases.forEach(b -> result.add(b + "?" + query));
        }
        return result;
    }

    /** The URL a webhook was signed over: base + path (+ raw query when present). */
    public String webhookUrl(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return base(request) + request.getPath() + (query == null || query.isEmpty() ? "" : "?" + query);
    }
}
