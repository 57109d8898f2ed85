package io.voiceorder.app.httpclient;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP client serve uses for the services it calls (restaurant back office, Twilio REST,
 * bridge REST): one connection pool, HTTP/1.1 (what those APIs speak), a bounded connect time.
 * Request timeouts are set per request, as each call of the spec has its own.
 */
@Factory
public final class OutboundHttpFactory {
    public static final String NAME = "outbound";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Singleton
    @Named(NAME)
    HttpClient outboundHttpClient() {
        return create();
    }

    /** A client configured like serve's, for code (and tests) built outside the Micronaut context. */
    public static HttpClient create() {
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "outbound-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }
}
