package io.voiceorder.app.support;

import io.voiceorder.app.VoiceServer;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** serve on a free loopback port, pointed at a fresh fake OpenAI Realtime server. */
public final class ServeHarness implements AutoCloseable {
    public static final String API_KEY = "sk-test-4f1c9a7e3b";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final FakeRealtimeServer openai;
    public final VoiceServer serve;
    public final int port;

    private ServeHarness(FakeRealtimeServer openai, VoiceServer serve) {
        this.openai = openai;
        this.serve = serve;
        this.port = serve.port();
    }

    public static ServeHarness start() {
        return start(Map.of());
    }

    public static ServeHarness start(Map<String, String> vars) {
        return start(vars, CallTimings.standard(), FakeRealtimeServer.Options.defaults());
    }

    public static ServeHarness start(Map<String, String> vars, CallTimings timings, FakeRealtimeServer.Options fakeOptions) {
        return start(vars, timings, fakeOptions, java.time.Clock.systemUTC());
    }

    /** serve whose restaurant backend sees {@code clock} as "now" (opening hours, availability). */
    public static ServeHarness start(Map<String, String> vars, CallTimings timings, FakeRealtimeServer.Options fakeOptions,
                                     java.time.Clock clock) {
        FakeRealtimeServer openai = FakeRealtimeServer.start(fakeOptions);
        Map<String, String> all = new HashMap<>();
        all.put("OPENAI_API_KEY", API_KEY);
        all.put("OPENAI_REALTIME_URL", openai.url());
        all.put("PORT", String.valueOf(freePort()));
        // Each serve of the tests gets its own private in-memory database (nothing under ./data).
        all.put("DATABASE_URL", "jdbc:h2:mem:serve-" + java.util.UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        all.putAll(vars);
        return new ServeHarness(openai, VoiceServer.start(ServeConfig.parse(all), timings, clock));
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The restaurant backend serve runs with. */
    public io.voiceorder.app.restaurant.RestaurantBackend backend() {
        return serve.context().getBean(io.voiceorder.app.restaurant.RestaurantBackend.class);
    }

    public URI streamUri() {
        return URI.create("ws://127.0.0.1:" + port + "/media-stream");
    }

    public TwilioStreamSimulator call() {
        return call(SimulatorOptions.twilioCall());
    }

    public TwilioStreamSimulator call(SimulatorOptions options) {
        return TwilioStreamSimulator.connect(streamUri(), options);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        serve.close();
        openai.close();
    }
}
