package io.voiceorder.app.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.app.support.PostgresServer;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.app.support.ServeMain;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault matrix, "process killed (kill -9) during an order": an order the caller heard confirmed survives SIGKILL of
 * serve right after the confirmation, on H2 and on PostgreSQL. serve runs as a separate process on the test's
 * classpath and is killed while the confirmation is being played; restarted on the same database, it lists the order
 * on {@code /api/orders}, marks the interrupted call record {@code process_restart} (and says so in its log), and
 * nothing is half-written.
 */
class FaultKilledDuringOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A fresh serve JVM with the test class path and a database to migrate starts slowly on a busy machine. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theConfirmedOrderIsInH2AfterSigkill(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("voiceorder") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
        Map<String, String> database = Map.of("DATABASE_URL", url);
        String callSid = orderThenKill(dir, database);
        restartAndReadBack(dir, database, callSid);
        try (Connection c = DriverManager.getConnection(url + ";FILE_LOCK=NO", "", "")) {
            assertOrderStored(c);
        }
    }

    @Test
    void theConfirmedOrderIsInPostgresAfterSigkill(@TempDir Path dir) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String url = postgres.createDatabase();
            Map<String, String> database = Map.of("DATABASE_URL", url, "DATABASE_USER", "postgres");
            String callSid = orderThenKill(dir, database);
            restartAndReadBack(dir, database, callSid);
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertOrderStored(c);
            }
        }
    }

    private static void assertOrderStored(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet order = s.executeQuery("SELECT order_number, total FROM orders")) {
            assertThat(order.next()).isTrue();
            assertThat(order.getInt(1)).isEqualTo(1);
            assertThat(order.getBigDecimal(2)).isEqualByComparingTo(new BigDecimal("12.50"));
            assertThat(order.next()).isFalse();
        }
        try (Statement s = c.createStatement();
             ResultSet lines = s.executeQuery("SELECT count(*) FROM order_items")) {
            lines.next();
            assertThat(lines.getInt(1)).isEqualTo(1); // nothing half-written
        }
    }

    /** serve started again on the same database answers with the stored order and the closed call record. */
    private static void restartAndReadBack(Path dir, Map<String, String> database, String callSid) throws Exception {
        assertThat(log(dir)).as("the killed serve logged the call with its sid").contains(callSid);
        Files.move(dir.resolve("serve.log"), dir.resolve("serve-killed.log"));
        int port = ServeHarness.freePort();
        try (FakeRealtimeServer openai = FakeRealtimeServer.start()) {
            Process serve = startServe(dir, port, openai.url(), database);
            try {
                awaitHealthy(port, serve);
                HttpClient http = HttpClient.newHttpClient();
                JsonNode orders = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/orders")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("orders");
                assertThat(orders).hasSize(1);
                assertThat(orders.get(0).path("orderNumber").asInt()).isEqualTo(1);
                assertThat(orders.get(0).path("total").decimalValue()).isEqualByComparingTo("12.50");
                assertThat(orders.get(0).path("items")).hasSize(1);
                JsonNode calls = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/calls")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("calls");
                assertThat(calls).hasSize(1);
                assertThat(calls.get(0).path("callSid").asText()).isEqualTo(callSid);
                assertThat(calls.get(0).path("endReason").asText()).isEqualTo("process_restart");
                assertThat(log(dir)).contains("1 call record(s) left in progress by a previous run marked error / process_restart");
            } finally {
                serve.destroy();
                if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                    serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String orderThenKill(Path dir, Map<String, String> database) throws Exception {
        byte[] confirmation = Ulaw.tone(520, 4_000, 0.2);
        try (FakeRealtimeServer openai = FakeRealtimeServer.start(FakeRealtimeServer.Options.defaults().withAudioSpeed(1.0))) {
            openai.script().say(Ulaw.tone(300, 200, 0.2), "Bonjour.")
                    .callerSays("Une margherita grande.")
                    .call("check_availability", "{\"mode\":\"pickup\"}")
                    .call("confirm_order", "{\"order_type\":\"pickup\",\"total\":12.5,\"items\":[{\"id\":3,\"quantity\":1,"
                            + "\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Grande\"}]}]}")
                    .say(confirmation, "Commande numéro 1 enregistrée.");
            int port = ServeHarness.freePort();
            Process serve = startServe(dir, port, openai.url(), database);
            try {
                awaitHealthy(port, serve);
                try (TwilioStreamSimulator caller = TwilioStreamSimulator.connect(
                        URI.create("ws://127.0.0.1:" + port + "/media-stream"), SimulatorOptions.twilioCall())) {
                    FakeRealtimeSession session = openai.awaitSession(0, WAIT);
                    await().atMost(WAIT).until(() -> caller.echoedMarks().size() >= 10);
                    caller.speak(Ulaw.tone(900, 600, 0.3));
                    PhoneOrderTest.output(session, "confirm_order");
                    // The caller is hearing the confirmation: kill serve there.
                    long before = caller.receivedAudioBytes();
                    await().atMost(WAIT).until(() -> caller.receivedAudioBytes() > before + 800);
                    serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    assertThat(serve.isAlive()).isFalse();
                    return caller.callSid();
                }
            } finally {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startServe(Path dir, int port, String openaiUrl, Map<String, String> database) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServeMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.startsWith("JAVA"));
        env.put("OPENAI_API_KEY", ServeHarness.API_KEY);
        env.put("OPENAI_REALTIME_URL", openaiUrl);
        env.put("PORT", String.valueOf(port));
        env.put("TEST_NOW", PhoneOrderTest.DINNER_TIME.instant().toString());
        env.putAll(database);
        return pb.start();
    }

    private static void awaitHealthy(int port, Process serve) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(serve.isAlive()).as("serve exited early").isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static String log(Path dir) throws IOException {
        return Files.readString(dir.resolve("serve.log"));
    }
}
