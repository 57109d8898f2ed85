package io.voiceorder.app.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeConfigTest {
    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OPENAI_API_KEY", "sk-abc");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreTheSpecs() {
        ServeConfig c = ServeConfig.parse(with());
        assertThat(c.port()).isEqualTo(5050);
        assertThat(c.openaiRealtimeUrl()).hasToString("wss://api.openai.com/v1/realtime");
        assertThat(c.model()).isEqualTo("gpt-realtime");
        assertThat(c.voice()).isEqualTo("sage");
        assertThat(c.maxParallelCalls()).isEqualTo(10);
        assertThat(c.maxCallDurationSec()).isEqualTo(600);
        assertThat(c.vadThreshold()).isEqualTo(0.5);
        assertThat(c.vadSilenceMs()).isEqualTo(500);
        assertThat(c.vadPrefixPaddingMs()).isEqualTo(300);
        assertThat(c.streamKeyConfigured()).isFalse();
        assertThat(c.openaiApiKey().toString()).isEqualTo("set").doesNotContain("sk-abc");
    }

    @Test
    void errorsNameTheVariableAndTheFix() {
        assertThatThrownBy(() -> ServeConfig.parse(Map.of()))
                .hasMessage("OPENAI_API_KEY is not set (flag --openai-api-key). Put it in .env or the environment.");
        assertThatThrownBy(() -> ServeConfig.parse(with("VAD_THRESHOLD", "1.5")))
                .hasMessage("VAD_THRESHOLD must be a number between 0 and 1 (got \"1.5\").");
        assertThatThrownBy(() -> ServeConfig.parse(with("PORT", "70000")))
                .hasMessage("PORT must be a port number between 1 and 65535 (got \"70000\").");
        assertThatThrownBy(() -> ServeConfig.parse(with("PUBLIC_URL", "https://voice.example.com/?x=1")))
                .hasMessageStartingWith("PUBLIC_URL must be an absolute http(s) URL without query");
        assertThatThrownBy(() -> ServeConfig.parse(with("TWILIO_ACCOUNT_SID", "AC123")))
                .hasMessage("TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not (flag --twilio-auth-token). Set both or neither.");
        assertThatThrownBy(() -> ServeConfig.parse(with("OPENAI_VOICE", "robot"))).hasMessageContaining("OPENAI_VOICE must be one of");
        assertThatThrownBy(() -> ServeConfig.parse(with("MAX_PARALLEL_CALLS", "-1"))).hasMessageContaining("MAX_PARALLEL_CALLS");
    }

    @Test
    void flagsFollowTheVariableNames() {
        assertThat(ServeConfig.flagOf("MAX_CALL_DURATION")).isEqualTo("--max-call-duration");
        assertThat(ServeConfig.flagOf("OPENAI_REALTIME_MODEL")).isEqualTo("--model");
        assertThat(ServeConfig.flagOf("OPENAI_VOICE")).isEqualTo("--voice");
    }

    @Test
    void theBackOfficeIsReachedThroughNextApiUrlWithItsToken() {
        ServeConfig byUrl = ServeConfig.parse(with("NEXT_API_URL", "https://office.example.com/", "RESTAURANT_ID", "r1"));
        assertThat(byUrl.backend().kind()).isEqualTo(BackendSettings.Kind.HTTP);
        assertThat(byUrl.nextApiUrl()).hasToString("https://office.example.com/");
        ServeConfig chosen = ServeConfig.parse(with("VOICEORDER_BACKEND", "http", "RESTAURANT_ID", "r1", "NEXT_API_TOKEN", "tok-1"));
        assertThat(chosen.nextApiUrl()).hasToString("http://localhost:3000");
        assertThat(chosen.nextApiToken().toString()).isEqualTo("set").doesNotContain("tok-1");
        assertThatThrownBy(() -> ServeConfig.parse(with("NEXT_API_URL", "office:3000", "RESTAURANT_ID", "r1")))
                .hasMessageStartingWith("NEXT_API_URL must be an absolute http(s) URL");
    }

    @Test
    void restVariablesHaveTheSpecDefaults() {
        ServeConfig c = ServeConfig.parse(with());
        assertThat(c.twilioApiUrl()).hasToString("https://api.twilio.com");
        assertThat(c.twilioPhoneNumber()).isEmpty();
        assertThat(c.bridgeUrl()).hasToString("http://127.0.0.1:5060");
        assertThat(c.bridgeApiToken().isSet()).isFalse();
        assertThat(c.sipDomain()).isEmpty();
        assertThat(c.twilioRestConfigured()).isFalse();
        assertThat(ServeConfig.parse(with("BRIDGE_PORT", "5070")).bridgeUrl()).hasToString("http://127.0.0.1:5070");
        assertThat(ServeConfig.parse(with("BRIDGE_PORT", "5070", "BRIDGE_URL", "http://10.0.0.2:8080")).bridgeUrl())
                .hasToString("http://10.0.0.2:8080");
        assertThat(ServeConfig.parse(with("TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", "t")).twilioRestConfigured()).isTrue();
        assertThatThrownBy(() -> ServeConfig.parse(with("BRIDGE_PORT", "0"))).hasMessageStartingWith("BRIDGE_PORT must be");
    }
}
