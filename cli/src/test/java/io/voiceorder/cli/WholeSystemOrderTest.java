package io.voiceorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.cli.system.LiveSystem;
import io.voiceorder.fixtures.audio.Ulaw;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.realtime.FakeRealtimeSession;
import io.voiceorder.fixtures.realtime.Script;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole system (quality.md, testing "whole system"): a sipp caller → kamailio (the trunk) → the bridge process →
 * the serve process (both the packaged jar) → the fake OpenAI Realtime server, whose scripted model checks
 * availability, confirms a pizza order and ends the call. The call ends with the bridge's BYE and the order is stored:
 * read back from serve's {@code /api/orders} on loopback.
 */
class WholeSystemOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeEach
    void requirePeers() {
        assumeTrue(LiveSystem.peersAvailable(), "kamailio, sipp or the packaged jar is missing (.ci/run installs the"
                + " first two; failsafe runs after package): skipped");
    }

    @Test
    void aCallerOrdersAPizzaThroughTheBridgeAndTheOrderIsStored() throws Exception {
        byte[] greeting = Ulaw.tone(300, 800, 0.2);
        byte[] confirmation = Ulaw.tone(520, 1_200, 0.2);
        try (FakeRealtimeServer openai = FakeRealtimeServer.start()) {
            // The caller sends no audio: the scripted model leads the order from its greeting on.
            openai.script()
                    .add(new Script.Turn(greeting, "Pizzeria Da Marco bonjour ! Une margherita grande à emporter, c'est noté.",
                            List.of(new Script.FunctionCall("check_availability", "{\"mode\":\"pickup\"}"))))
                    // #3 is the Margherita in the sample's numbering (two starters come first).
                    .call("confirm_order", "{\"order_type\":\"pickup\",\"total\":12.5,\"items\":[{\"id\":3,\"quantity\":1,"
                            + "\"selected_options\":[{\"name\":\"Taille\",\"choice\":\"Grande\"}]}]}")
                    .sayAndCall(confirmation, "Commande numéro 1 enregistrée, douze euros cinquante. Au revoir !", "end_call", "{}");
            try (LiveSystem system = LiveSystem.start(dir, openai, java.util.Map.of(), List.of());
                 Sipp caller = system.call("uac-listen.xml", "caller")) {
                assertThat(caller.awaitExit(WAIT.toMillis())).as("the caller got the bridge's BYE: %s", caller.output()).isZero();

                FakeRealtimeSession session = openai.awaitSession(0, WAIT);
                JsonNode stored = output(session, "confirm_order");
                assertThat(stored.path("success").asBoolean()).as(stored.toString()).isTrue();

                JsonNode orders = system.serveJson("/api/orders").path("orders");
                assertThat(orders).hasSize(1);
                JsonNode order = orders.get(0);
                assertThat(order.path("orderNumber").asInt()).isEqualTo(1);
                assertThat(order.path("total").decimalValue()).isEqualByComparingTo("12.50");
                assertThat(order.path("items").get(0).path("name").asText()).isEqualTo("Margherita");
                assertThat(order.path("items").get(0).path("selectedOptions").get(0).path("choice").asText()).isEqualTo("Grande");

                await().atMost(WAIT).until(() -> !system.serveJson("/api/calls").path("calls").get(0).path("outcome")
                        .asText().equals("in_progress"));
                JsonNode call = system.serveJson("/api/calls").path("calls").get(0);
                assertThat(call.path("outcome").asText()).isEqualTo("order_placed");
                assertThat(call.path("endReason").asText()).isEqualTo("agent_end_call");
                assertThat(call.path("mode").asText()).isEqualTo("bridge");

                await().atMost(WAIT).until(() -> system.bridgeJson("/api/calls").get(0).path("status").asText().equals("completed"));
                JsonNode bridged = system.bridgeJson("/api/calls").get(0);
                assertThat(bridged.path("endReason").asText()).isEqualTo("app-hangup");
                // The call's RTP ports go back to the pool once its media leg has closed.
                await().atMost(Duration.ofSeconds(10)).until(() -> system.bridgeJson("/health").path("rtp_ports").path("in_use")
                        .asInt() == 0);
            }
        }
    }

    /** The tool output serve sent back to the model for {@code tool}. */
    static JsonNode output(FakeRealtimeSession session, String tool) throws Exception {
        JsonNode call = await().atMost(WAIT).until(() -> session.sentEvents().stream()
                .filter(e -> e.path("type").asText().equals("response.function_call_arguments.done")
                        && e.path("name").asText().equals(tool))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        JsonNode item = session.awaitEvent(e -> e.at("/item/type").asText().equals("function_call_output")
                && e.at("/item/call_id").asText().equals(call.path("call_id").asText()), tool + " output", WAIT);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(item.at("/item/output").asText());
    }
}
