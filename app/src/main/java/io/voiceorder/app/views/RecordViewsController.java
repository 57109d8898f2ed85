package io.voiceorder.app.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.restaurant.BackendException;
import io.voiceorder.app.restaurant.RecordViews;
import io.voiceorder.app.restaurant.RestaurantBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only JSON views of orders and calls (serve.md §3.6), newest first, for the restaurant's
 * dashboard. Only backends that store them offer them; with the http backend they answer 404
 * {@code not_available}.
 */
@Controller("/api")
public final class RecordViewsController {
    private static final Logger LOG = LoggerFactory.getLogger(RecordViewsController.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final AdminAccess access;
    private final RestaurantBackend backend;

    public RecordViewsController(ServeConfig config, RestaurantBackend backend) {
        this.access = new AdminAccess(config.backend().adminToken());
        this.backend = backend;
    }

    @Get("/orders")
    public HttpResponse<String> orders(HttpRequest<?> request, @Nullable @QueryValue String restaurantId,
                                       @Nullable @QueryValue String limit, @Nullable @QueryValue String since) {
        return list(request, restaurantId, limit, since, "orders", RecordViews::orders);
    }

    @Get("/orders/{id}")
    public HttpResponse<String> order(HttpRequest<?> request, String id) {
        return one(request, id, RecordViews::order);
    }

    @Get("/calls")
    public HttpResponse<String> calls(HttpRequest<?> request, @Nullable @QueryValue String restaurantId,
                                      @Nullable @QueryValue String limit, @Nullable @QueryValue String since) {
        return list(request, restaurantId, limit, since, "calls", RecordViews::calls);
    }

    @Get("/calls/{id}")
    public HttpResponse<String> call(HttpRequest<?> request, String id) {
        return one(request, id, RecordViews::call);
    }

    @FunctionalInterface
    private interface Lister {
        List<?> list(RecordViews views, RecordViews.Query query) throws BackendException;
    }

    @FunctionalInterface
    private interface Finder {
        Optional<?> find(RecordViews views, String id) throws BackendException;
    }

    private HttpResponse<String> list(HttpRequest<?> request, String restaurantId, String limit, String since, String key,
                                      Lister lister) {
        Optional<HttpResponse<String>> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        int n;
        try {
            n = limit == null || limit.isBlank() ? DEFAULT_LIMIT : Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            return error(HttpStatus.BAD_REQUEST, "invalid_limit");
        }
        Instant from = null;
        if (since != null && !since.isBlank()) {
            from = parseSince(since.trim());
            if (from == null) {
                return error(HttpStatus.BAD_REQUEST, "invalid_since");
            }
        }
        String restaurant = restaurantId == null || restaurantId.isBlank() ? null : restaurantId.trim();
        try {
            return json(HttpStatus.OK, Map.of(key, lister.list((RecordViews) backend, new RecordViews.Query(restaurant, n, from))));
        } catch (BackendException e) {
            LOG.warn("record view failed: {}", e.kind());
            return error(HttpStatus.SERVICE_UNAVAILABLE, "backend_unavailable");
        }
    }

    private HttpResponse<String> one(HttpRequest<?> request, String id, Finder finder) {
        Optional<HttpResponse<String>> refused = refuse(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            Optional<?> found = finder.find((RecordViews) backend, id);
            return found.isPresent() ? json(HttpStatus.OK, found.get()) : error(HttpStatus.NOT_FOUND, "not_found");
        } catch (BackendException e) {
            LOG.warn("record view failed: {}", e.kind());
            return error(HttpStatus.SERVICE_UNAVAILABLE, "backend_unavailable");
        }
    }

    private Optional<HttpResponse<String>> refuse(HttpRequest<?> request) {
        switch (access.check(request)) {
            case UNAUTHORIZED:
                return Optional.of(error(HttpStatus.UNAUTHORIZED, "unauthorized"));
            case FORBIDDEN:
                return Optional.of(error(HttpStatus.FORBIDDEN, "forbidden"));
            default:
                break;
        }
        if (!(backend instanceof RecordViews)) {
            return Optional.of(error(HttpStatus.NOT_FOUND, "not_available"));
        }
        return Optional.empty();
    }

    /** ISO-8601 instant, date-time with offset, or date (midnight UTC). */
    private static Instant parseSince(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    private static HttpResponse<String> error(HttpStatus status, String code) {
        return json(status, Map.of("error", code));
    }

    private static HttpResponse<String> json(HttpStatus status, Object body) {
        try {
            return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            return HttpResponse.<String>status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body("{\"error\":\"internal\"}");
        }
    }
}
