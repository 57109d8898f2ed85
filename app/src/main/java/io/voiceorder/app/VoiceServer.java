package io.voiceorder.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.voiceorder.app.call.CallRegistry;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.config.ServeConfig;
import io.voiceorder.app.realtime.SocketBuffers;
import io.voiceorder.app.restaurant.RestaurantBackend;
import io.voiceorder.app.restaurant.RestaurantBackends;
import io.voiceorder.app.restaurant.embedded.Database;

import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The running voice proxy: a Micronaut context holding the HTTP/WebSocket server on {@code PORT}.
 * The command line starts it with a validated {@link ServeConfig}; tests start it the same way.
 */
public final class VoiceServer implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final RestaurantBackend backend;

    private VoiceServer(ApplicationContext context, EmbeddedServer server, RestaurantBackend backend) {
        this.context = context;
        this.server = server;
        this.backend = backend;
    }

    /**
     * Starts serve. Returns once the port is bound and accepting connections.
     *
     * @throws ServerStartException when the port is taken or the server cannot start
     */
    public static VoiceServer start(ServeConfig config) {
        return start(config, CallTimings.standard());
    }

    /** Starts serve with other call timings: tests shorten timeouts with it. */
    public static VoiceServer start(ServeConfig config, CallTimings timings) {
        return start(config, timings, Clock.systemUTC());
    }

    /**
     * Starts serve with another clock for the restaurant backend (availability, records): tests pin "now" with it.
     *
     * @throws io.voiceorder.app.config.ConfigException a restaurant file problem (exit 2)
     */
    public static VoiceServer start(ServeConfig config, CallTimings timings, Clock clock) {
        SocketBuffers.apply();
        RestaurantBackend backend;
        try {
            backend = RestaurantBackends.open(config, clock);
        } catch (Database.OpenException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        try {
            return start(config, timings, backend);
        } catch (RuntimeException e) {
            closeBackend(backend);
            throw e;
        }
    }

    private static VoiceServer start(ServeConfig config, CallTimings timings, RestaurantBackend backend) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", config.port());
        properties.put("micronaut.server.host", "0.0.0.0");
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .banner(false)
                .properties(properties)
                .singletons(config, timings, backend)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            StartupReport.log(config, server.getPort(), backend);
            return new VoiceServer(context, server, backend);
        } catch (RuntimeException e) {
            context.close();
            if (causedByBind(e)) {
                throw new ServerStartException("port " + config.port() + " is already in use (PORT, flag --port). "
                        + "Stop the other process or choose another port.", e);
            }
            throw new ServerStartException("serve could not start: " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.getPort();
    }

    public ApplicationContext context() {
        return context;
    }

    /**
     * Stops taking calls, lets live calls finish for up to {@code grace}, ends the rest, then stops.
     */
    public void drainAndStop(Duration grace) {
        context.getBean(CallRegistry.class).drain(grace);
        close();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        if (context.isRunning()) {
            context.close();
        }
        closeBackend(backend);
    }

    private static void closeBackend(RestaurantBackend backend) {
        if (backend instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing the pool at shutdown: nothing left to save.
            }
        }
    }
}
