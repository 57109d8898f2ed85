package io.voiceorder.app.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentSettingsTest {
    @Test
    void defaultsAreTheSpecs() {
        AgentSettings s = AgentSettings.defaults();
        assertThat(s.prices()).hasSize(6).containsEntry("audio_out", new java.math.BigDecimal("64"));
        assertThat(s.costCurrency()).isEqualTo("USD");
        assertThat(s.sessionRolloverSec()).isEqualTo(3300);
        assertThat(AgentSettings.parse(Map.of("NEXT_PUBLIC_BILLING_CURRENCY", "EUR")).costCurrency()).isEqualTo("EUR");
    }

    @Test
    void malformedValuesNameTheVariable() {
        assertThatThrownBy(() -> AgentSettings.parse(Map.of("OPENAI_PRICES", "text_in=4")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("OPENAI_PRICES must be the six keys");
        assertThatThrownBy(() -> AgentSettings.parse(Map.of("COST_EXCHANGE_RATE", "0")))
                .hasMessage("COST_EXCHANGE_RATE must be a number > 0 (got \"0\").");
        assertThatThrownBy(() -> AgentSettings.parse(Map.of("OPENAI_SESSION_ROLLOVER_S", "4000")))
                .hasMessageStartingWith("OPENAI_SESSION_ROLLOVER_S must be");
    }
}
