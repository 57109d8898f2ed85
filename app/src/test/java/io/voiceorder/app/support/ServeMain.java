package io.voiceorder.app.support;

import io.voiceorder.app.VoiceServer;
import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.config.ServeConfig;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * serve in a process of its own, configured by its environment, for tests that kill it: the
 * variable {@code TEST_NOW} (an ISO instant) pins the backend's clock.
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> vars = new HashMap<>(System.getenv());
        Clock clock = vars.containsKey("TEST_NOW")
                ? Clock.fixed(Instant.parse(vars.get("TEST_NOW")), ZoneOffset.UTC) : Clock.systemUTC();
        VoiceServer server = VoiceServer.start(ServeConfig.parse(vars), CallTimings.standard(), clock);
        System.out.println("serve ready on port " + server.port());
        Thread.currentThread().join();
    }
}
