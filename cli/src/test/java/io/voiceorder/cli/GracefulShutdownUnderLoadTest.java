package io.voiceorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.cli.system.LiveSystem;
import io.voiceorder.fixtures.audio.Bytes;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.sip.Sipp;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import io.voiceorder.fixtures.twilio.UpgradeRefusedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SIGTERM under load, serve and bridge each the packaged jar in its own process (serve.md §9.4, bridge.md §5.11).
 * serve with ten calls, each mid-sentence: it drains — {@code /health} 503 {@code draining}, new streams refused
 * with 429 — and every caller hears its sentence to the end, even one still playing when the grace runs out; every
 * call record is finalized exactly once
 * ({@code shutdown}), nothing is half-written, and serve exits 0. The bridge with ten calls: every caller gets a
 * BYE, serve gets {@code stop} on every stream and finalizes each call once, and the bridge exits 0.
 */
class GracefulShutdownUnderLoadTest {
    private static final int CALLS = 10;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CALL_ENDED = Pattern.compile("callSid=(\\S+) call ended: reason=(\\S+)");

    @TempDir
    Path dir;

    @BeforeEach
    void requirePeers() {
        assumeTrue(LiveSystem.peersAvailable(), "kamailio, sipp or the packaged jar is missing (.ci/run installs the"
                + " first two; failsafe runs after package): skipped");
    }

    @Test
    void serveDrainsTenCallsMidSentenceAndFinalizesEachOnce() throws Exception {
        // Longer than serve's 10 s grace, and generated faster than real time as OpenAI does: when the grace ends the
        // callers still have its last seconds to hear, and serve lets them play before closing.
        byte[] sentence = Ulaw.tone(300, 12_000, 0.2);
        try (FakeRealtimeServer openai = FakeRealtimeServer.start();
             LiveSystem.ServeOnly system = LiveSystem.serveOnly(dir, openai)) {
            for (int i = 0; i < CALLS; i++) {
                openai.script().say(sentence, "Pizzeria Da Marco bonjour, que puis-je faire pour vous ?");
            }
            List<TwilioStreamSimulator> callers = new ArrayList<>();
            try {
                for (int i = 0; i < CALLS; i++) {
                    callers.add(TwilioStreamSimulator.connect(system.serve().mediaStreamUrl(), SimulatorOptions.twilioCall()));
                }
                await().atMost(WAIT).until(() -> callers.stream().allMatch(c -> c.receivedAudioBytes() >= 1_600));
                assertThat(callers).allMatch(c -> c.playedBytes() < sentence.length, "every call is mid-sentence");

                ProcessHandle.of(system.serve().pid()).orElseThrow().destroy(); // SIGTERM
                await().atMost(WAIT).until(() -> system.serve().status("/health") == 503);
                assertThat(system.serve().get("/health")).isNull();
                assertThatThrownBy(() -> TwilioStreamSimulator.connect(system.serve().mediaStreamUrl(), SimulatorOptions.twilioCall()))
                        .isInstanceOf(UpgradeRefusedException.class);

                assertThat(system.serve().terminate(WAIT)).as("serve's exit status").isZero();
                for (TwilioStreamSimulator caller : callers) {
                    caller.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
                    assertThat(Bytes.indexOf(caller.playedAudio(), sentence)).as("%s heard the whole sentence", caller.callSid())
                            .isGreaterThanOrEqualTo(0);
                }
            } finally {
                callers.forEach(TwilioStreamSimulator::close);
            }
            Map<String, List<String>> ended = callsEnded(java.nio.file.Files.readString(system.serve().log()));
            assertThat(ended).hasSize(CALLS);
            assertThat(ended.values()).allMatch(reasons -> reasons.equals(List.of("shutdown")), "each finalized once, by the shutdown");
            try (Connection c = DriverManager.getConnection(system.databaseUrl() + ";FILE_LOCK=NO", "", "");
                 Statement s = c.createStatement()) {
                assertThat(count(s, "SELECT count(*) FROM calls")).isEqualTo(CALLS);
                assertThat(count(s, "SELECT count(DISTINCT call_sid) FROM calls")).isEqualTo(CALLS);
                assertThat(count(s, "SELECT count(*) FROM calls WHERE end_reason = 'shutdown' AND ended_at IS NOT NULL")).isEqualTo(CALLS);
                assertThat(count(s, "SELECT count(*) FROM order_items WHERE order_id NOT IN (SELECT id FROM orders)")).isZero();
                assertThat(count(s, "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"))
                        .isZero();
            }
        }
    }

    @Test
    void theBridgeHangsUpTenCallsWithByeAndStopAndServeFinalizesEachOnce() throws Exception {
        try (FakeRealtimeServer openai = FakeRealtimeServer.start(FakeRealtimeServer.Options.defaults().withAudioSpeed(1.0));
             LiveSystem system = LiveSystem.start(dir, openai, Map.of(), List.of())) {
            for (int i = 0; i < CALLS; i++) {
                openai.script().say(Ulaw.tone(300, 20_000, 0.2), "Pizzeria Da Marco bonjour, …");
            }
            List<Sipp> callers = new ArrayList<>();
            try {
                for (int i = 0; i < CALLS; i++) {
                    callers.add(system.call("uac-listen.xml", "caller-" + i));
                }
                await().atMost(WAIT).until(() -> activeBridgeCalls(system) == CALLS);
                await().atMost(WAIT).until(() -> openai.connectionCount() == CALLS);

                assertThat(system.bridge.terminate(WAIT.toMillis())).as("the bridge's exit status").isZero();
                for (Sipp caller : callers) {
                    assertThat(caller.awaitExit(WAIT.toMillis())).as("the caller got a BYE: %s", caller.output()).isZero();
                }
            } finally {
                callers.forEach(Sipp::close);
            }
            await().atMost(WAIT).until(() -> system.serveJson("/api/calls").path("calls").size() == CALLS
                    && allFinal(system.serveJson("/api/calls").path("calls")));
            JsonNode calls = system.serveJson("/api/calls").path("calls");
            calls.forEach(call -> assertThat(call.path("endReason").asText()).as(call.toString()).isEqualTo("caller_hangup"));
            Map<String, List<String>> ended = callsEnded(system.serveLog());
            assertThat(ended).hasSize(CALLS);
            assertThat(ended.values()).allMatch(reasons -> reasons.equals(List.of("caller_hangup")), "each finalized once");
            assertThat(system.serveLog()).contains("caller hung up (stop)");
        }
    }

    private static int activeBridgeCalls(LiveSystem system) throws Exception {
        int n = 0;
        for (JsonNode call : system.bridgeJson("/api/calls")) {
            if (call.path("status").asText().equals("active")) {
                n++;
            }
        }
        return n;
    }

    private static boolean allFinal(JsonNode calls) {
        for (JsonNode call : calls) {
            if (call.path("outcome").asText().equals("in_progress")) {
                return false;
            }
        }
        return true;
    }

    /** call sid → the end reasons its "call ended" lines gave, from serve's log. */
    private static Map<String, List<String>> callsEnded(String log) {
        Map<String, List<String>> ended = new HashMap<>();
        Matcher m = CALL_ENDED.matcher(log);
        while (m.find()) {
            ended.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
        }
        return ended;
    }

    private static int count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
