package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.config.Secret;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.BackendException.Kind;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * JSON over HTTP to the back office ({@code NEXT_API_URL} + path): {@code Content-Type} and
 * {@code Accept} {@code application/json}, the bearer token when set, one timeout per request.
 * Any non-2xx, a timeout or an unparsable body is a {@link BackendException}; its message holds the
 * method, path and status only — never a query string (phone numbers), a body or a header.
 */
final class BackOfficeClient {
    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Secret token;
    private final Clock clock;
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

    BackOfficeClient(HttpClient http, ObjectMapper json, URI baseUrl, Secret token, Clock clock) {
        this.http = http;
        this.json = json;
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.clock = clock;
    }

    ObjectMapper json() {
        return json;
    }

    /** When the last request failed, or null if none has. */
    Instant lastFailure() {
        return lastFailure.get();
    }

    JsonNode get(String path, Map<String, String> query, Duration timeout) throws BackendException {
        return exchange("GET", path, query, null, timeout, false);
    }

    JsonNode post(String path, Object body, Duration timeout) throws BackendException {
        return exchange("POST", path, Map.of(), body, timeout, false);
    }

    /** A POST that must not be assumed undone when it times out or breaks after being sent. */
    JsonNode postOnce(String path, Object body, Duration timeout) throws BackendException {
        return exchange("POST", path, Map.of(), body, timeout, true);
    }

    JsonNode patch(String path, Object body, Duration timeout) throws BackendException {
        return exchange("PATCH", path, Map.of(), body, timeout, false);
    }

    /** Ordered query parameters; null values are left out. */
    static Map<String, String> query(String... kv) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                q.put(kv[i], kv[i + 1]);
            }
        }
        return q;
    }

    private JsonNode exchange(String method, String path, Map<String, String> query, Object body, Duration timeout,
                              boolean writeOnce) throws BackendException {
        String what = method + " " + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path + encode(query)))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (token.isSet()) {
            b.header("Authorization", "Bearer " + token.reveal());
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new BackendException(Kind.INVALID, what + ": request not serialisable", e);
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw failed(Kind.UNAVAILABLE, what + ": back office unreachable", e);
        } catch (HttpTimeoutException e) {
            throw failed(writeOnce ? Kind.UNKNOWN_OUTCOME : Kind.TIMEOUT,
                    what + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw failed(writeOnce ? Kind.UNKNOWN_OUTCOME : Kind.UNAVAILABLE,
                    what + ": connection failed (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(writeOnce ? Kind.UNKNOWN_OUTCOME : Kind.UNAVAILABLE, what + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            Kind kind = status == 404 ? Kind.NOT_FOUND : status >= 500 || status == 429 ? Kind.UNAVAILABLE : Kind.REFUSED;
            throw failed(kind, what + ": HTTP " + status, Map.of("httpStatus", status), null);
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            lastFailure.set(null);
            return json.nullNode();
        }
        try {
            JsonNode node = json.readTree(text);
            lastFailure.set(null);
            return node;
        } catch (JsonProcessingException e) {
            throw failed(Kind.UNAVAILABLE, what + ": unparsable body", e);
        }
    }

    private BackendException failed(Kind kind, String message, Throwable cause) {
        return failed(kind, message, Map.of(), cause);
    }

    private BackendException failed(Kind kind, String message, Map<String, Object> details, Throwable cause) {
        lastFailure.set(clock.instant());
        return new BackendException(kind, message, details, cause);
    }

    private static String encode(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }
}
