package io.voiceorder.app.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceorder.app.agent.AgentMessages;
import io.voiceorder.app.agent.CallState;
import io.voiceorder.app.restaurant.AgentConfig;
import io.voiceorder.app.restaurant.AvailabilityResult;
import io.voiceorder.app.restaurant.ServiceMode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs tools the way a call does — context snapshot in, state change applied after — against a {@link RecordingBackend}. */
final class ToolBench {
    static final String CALLER = "+33612345678";
    private static final ObjectMapper JSON = new ObjectMapper();

    final RecordingBackend backend = new RecordingBackend();
    final Toolbox toolbox = new Toolbox();
    AgentConfig agent = SampleAgent.config();
    CallState state = new CallState(null);
    String caller = CALLER;
    Instant now = Instant.parse("2026-11-24T17:30:00Z");

    ToolBench() {
        backend.availability = q -> available(q.mode(), "19:45");
    }

    static AvailabilityResult available(ServiceMode mode, String hhmm) {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 24, Integer.parseInt(hhmm.substring(0, 2)),
                Integer.parseInt(hhmm.substring(3)), 0, 0, ZoneOffset.ofHours(1));
        boolean delivery = mode == ServiceMode.DELIVERY;
        return new AvailabilityResult(true, mode, hhmm, at, null, null,
                delivery ? new BigDecimal("2.50") : null, delivery ? new BigDecimal("30.00") : null,
                delivery ? new BigDecimal("15.00") : null, delivery ? "12 rue des Lilas, 75011 Paris" : null,
                mode == ServiceMode.RESERVATION ? 20 : null, null, null, null, null, 0, Map.of());
    }

    ObjectNode run(String tool, String argumentsJson) {
        ToolContext ctx = new ToolContext(agent, "da-marco", "call-1", "CA1", caller, state.view(), backend,
                AgentMessages.of(agent.language()), Clock.fixed(now, ZoneId.of("UTC")));
        ToolOutcome outcome = toolbox.find(tool).orElseThrow().run(parse(argumentsJson), ctx);
        outcome.stateChange().accept(state);
        return outcome.result();
    }

    void later(Duration d) {
        now = now.plus(d);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
