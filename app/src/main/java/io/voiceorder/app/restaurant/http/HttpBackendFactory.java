package io.voiceorder.app.restaurant.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.voiceorder.app.config.BackendSelection;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.httpclient.OutboundHttpFactory;
import io.voiceorder.app.restaurant.RestaurantBackend;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.time.Clock;

/** The {@code http} adapter as serve's {@link RestaurantBackend} when {@code VOICEORDER_BACKEND=http}. */
@Factory
public final class HttpBackendFactory {

    @Singleton
    @Primary
    @Requires(condition = BackendSelection.Http.class)
    RestaurantBackend httpRestaurantBackend(@Named(OutboundHttpFactory.NAME) HttpClient http, ObjectMapper json,
                                            ServeConfig config, @Nullable HttpBackendTimings timings) {
        return new HttpRestaurantBackend(http, json, config.nextApiUrl(), config.nextApiToken(),
                config.restaurantId().orElse(null), timings == null ? HttpBackendTimings.standard() : timings,
                Clock.systemUTC());
    }
}
