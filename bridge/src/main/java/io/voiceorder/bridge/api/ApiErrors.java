package io.voiceorder.bridge.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every API error as {@code {"error": "<code>", "message": "<sentence>"}}. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static MutableHttpResponse<Map<String, Object>> reply(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return HttpResponse.<Map<String, Object>>status(status).body(body);
    }

    @Produces
    @Singleton
    public static final class Handler implements ExceptionHandler<ApiException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException e) {
            MutableHttpResponse<Map<String, Object>> reply = reply(e.status(), e.code(), e.getMessage());
            if (e.retryAfterSec() != null) {
                reply.header("Retry-After", String.valueOf(e.retryAfterSec()));
            }
            return reply;
        }
    }

    @Produces
    @Singleton
    @Replaces(ContentLengthExceededHandler.class)
    public static final class TooLarge implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException e) {
            return reply(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large", "The request body is over 64 KiB.");
        }
    }
}
