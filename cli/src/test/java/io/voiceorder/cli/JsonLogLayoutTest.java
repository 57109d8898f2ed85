package io.voiceorder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** --log-format json: one JSON object per line with ts, level, logger, callSid and msg. */
class JsonLogLayoutTest {
    @Test
    void aCallLineIsOneJsonObjectWithItsSid() throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.voiceorder.bridge.call.InboundCall"), Level.INFO,
                "caller hung up \"now\"\nsecond line", null, null);
        event.setMDCPropertyMap(Map.of("callSid", "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90"));

        String line = new JsonLogLayout().doLayout(event);

        assertThat(line).endsWith("}\n").doesNotContain("\nsecond");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("io.voiceorder.bridge.call.InboundCall");
        assertThat(json.path("callSid").asText()).isEqualTo("4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90");
        assertThat(json.path("msg").asText()).isEqualTo("caller hung up \"now\"\nsecond line");
        assertThat(json.path("ts").asText()).endsWith("Z");
    }
}
