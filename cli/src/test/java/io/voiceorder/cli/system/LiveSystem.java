package io.voiceorder.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.fixtures.bench.BridgeProcess;
import io.voiceorder.fixtures.bench.ServeProcess;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.sip.FreePorts;
import io.voiceorder.fixtures.sip.Kamailio;
import io.voiceorder.fixtures.sip.Sipp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The product as it runs, on loopback: kamailio as the trunk, {@code voiceorder serve} and {@code voiceorder bridge}
 * from the packaged jar, each its own process, and the fake OpenAI Realtime server in the test's JVM. serve uses the
 * embedded backend on an H2 file in the test's directory and a copy of the bundled sample restaurant that is open at
 * any hour of the test (its time zone is chosen so that it is about noon there). {@link #close()} stops everything.
 */
public final class LiveSystem implements AutoCloseable {
    public static final String TRUNK_USER = "0033972360682";
    private static final String TRUNK_PASSWORD = "live-system-trunk-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeRealtimeServer openai;
    public final Kamailio kamailio;
    public final ServeProcess serve;
    public final BridgeProcess bridge;
    public final Path dir;
    public final String databaseUrl;

    private LiveSystem(FakeRealtimeServer openai, Kamailio kamailio, ServeProcess serve, BridgeProcess bridge, Path dir,
                       String databaseUrl) {
        this.openai = openai;
        this.kamailio = kamailio;
        this.serve = serve;
        this.bridge = bridge;
        this.dir = dir;
        this.databaseUrl = databaseUrl;
    }

    /** The packaged launcher, as failsafe passes it (see cli/pom.xml). */
    public static Path launcher() {
        return Path.of(System.getProperty("voiceorder.launcher", "../bin/voiceorder")).toAbsolutePath().normalize();
    }

    /** The packaged jar next to the launcher's build. */
    public static Path jar() {
        return launcher().getParent().resolve("../cli/target/voiceorder.jar").normalize();
    }

    public static boolean peersAvailable() {
        return Kamailio.available() && Sipp.available() && Files.isRegularFile(jar());
    }

    /**
     * Starts kamailio, serve (with {@code serveEnv} added to its settings) and the bridge (with {@code bridgeFlags}
     * added), the bridge registered and streaming to serve.
     */
    public static LiveSystem start(Path dir, FakeRealtimeServer openai, Map<String, String> serveEnv,
                                   List<String> bridgeFlags) throws Exception {
        Kamailio kamailio = Kamailio.start(Kamailio.defaults(TRUNK_USER, TRUNK_PASSWORD), dir.resolve("kamailio"));
        ServeProcess serve = null;
        try {
            Path restaurant = openNowRestaurant(dir.resolve("restaurant.yaml"));
            String databaseUrl = "jdbc:h2:file:" + dir.resolve("data/voiceorder") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
            Map<String, String> env = new HashMap<>(Map.of("OPENAI_API_KEY", "sk-live-system-test",
                    "OPENAI_REALTIME_URL", openai.url(), "RESTAURANT_FILE", restaurant.toString(), "DATABASE_URL", databaseUrl,
                    "MAX_PARALLEL_CALLS", "50"));
            env.putAll(serveEnv);
            serve = ServeProcess.start(jar(), dir.resolve("serve"), FreePorts.udpAndTcp(), env, dir.resolve("serve.log"));
            int apiPort = FreePorts.udpAndTcp();
            int rtpLow = 20000 + 2 * (int) (ProcessHandle.current().pid() % 5000);
            List<String> flags = new ArrayList<>(List.of("--sip-domain", kamailio.domain(), "--sip-username", TRUNK_USER,
                    "--sip-port", String.valueOf(FreePorts.udpAndTcp()), "--bind-address", "127.0.0.1",
                    "--ws-target", serve.mediaStreamUrl().toString(), "--api-port", String.valueOf(apiPort),
                    "--rtp-ports", rtpLow + "-" + (rtpLow + 400), "--max-concurrent-calls", "50",
                    "--param", "restaurantId=da-marco"));
            flags.addAll(bridgeFlags);
            BridgeProcess bridge = BridgeProcess.start(launcher(), flags, Map.of("SIP_PASSWORD", TRUNK_PASSWORD), apiPort,
                    dir.resolve("bridge.log"));
            return new LiveSystem(openai, kamailio, serve, bridge, dir, databaseUrl);
        } catch (Exception | Error e) {
            if (serve != null) {
                serve.close();
            }
            kamailio.close();
            throw e;
        }
    }

    /** serve alone (no trunk, no bridge), set up as in {@link #start}: for callers that stream to it directly. */
    public record ServeOnly(ServeProcess serve, String databaseUrl) implements AutoCloseable {
        @Override
        public void close() {
            serve.close();
        }
    }

    public static ServeOnly serveOnly(Path dir, FakeRealtimeServer openai) throws Exception {
        Path restaurant = openNowRestaurant(dir.resolve("restaurant.yaml"));
        String databaseUrl = "jdbc:h2:file:" + dir.resolve("data/voiceorder") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        ServeProcess serve = ServeProcess.start(jar(), dir.resolve("serve"), FreePorts.udpAndTcp(), Map.of(
                "OPENAI_API_KEY", "sk-live-system-test", "OPENAI_REALTIME_URL", openai.url(),
                "RESTAURANT_FILE", restaurant.toString(), "DATABASE_URL", databaseUrl, "MAX_PARALLEL_CALLS", "50"),
                dir.resolve("serve.log"));
        return new ServeOnly(serve, databaseUrl);
    }

    /** A caller through the trunk, as the restaurant's number is called. */
    public Sipp call(String scenario, String name) throws IOException {
        return Sipp.caller(scenario, kamailio.domain(), TRUNK_USER, Map.of("caller", "0612345678"), dir.resolve(name));
    }

    /** serve's JSON view from loopback ({@code /api/orders}, {@code /api/calls}). */
    public JsonNode serveJson(String path) throws IOException {
        String body = serve.get(path);
        if (body == null) {
            throw new IOException("serve did not answer 200 on " + path);
        }
        return JSON.readTree(body);
    }

    public JsonNode bridgeJson(String path) throws IOException {
        String body = bridge.get(path);
        if (body == null) {
            throw new IOException("the bridge did not answer 200 on " + path);
        }
        return JSON.readTree(body);
    }

    public String serveLog() throws IOException {
        return Files.readString(serve.log());
    }

    public String bridgeLog() throws IOException {
        return Files.readString(bridge.log());
    }

    /**
     * The bundled sample restaurant, open 08:00-20:00 every day in the fixed-offset zone where it is about noon now,
     * so that the test orders during opening hours whatever the hour it runs.
     */
    static Path openNowRestaurant(Path target) throws IOException {
        String sample = Files.readString(launcher().getParent().resolve("../examples/restaurant.yaml").normalize());
        int utcHour = Instant.now().atOffset(ZoneOffset.UTC).getHour();
        int offset = 12 - utcHour;
        if (offset > 14) {
            offset -= 24;
        } else if (offset < -12) {
            offset += 24;
        }
        // Etc/GMT-N is UTC+N (POSIX sign convention).
        String zone = offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        String day = "[{open: \"08:00\", close: \"20:00\"}]";
        String text = sample.replaceFirst("timezone: Europe/Paris", "timezone: " + zone);
        for (String weekday : List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) {
            text = text.replaceFirst("(?m)^(\\s*" + weekday + "):.*$", "$1: " + day);
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, text);
        return target;
    }

    @Override
    public void close() {
        bridge.close();
        serve.close();
        kamailio.close();
    }
}
