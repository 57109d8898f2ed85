package io.voiceorder.bridge.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceorder.fixtures.twilio.MediaStreamValidator;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioJsonTest {

    @Test
    void aWholeSequenceIsTwilioShaped() throws Exception {
        String sid = "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90";
        String account = "AC0123456789abcdef0123456789abcdef";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("callerPhone", "+33674911383");
        params.put("direction", "inbound");
        params.put("to", "+33972360682");
        params.put("note", "quote \" backslash \\ newline \n é");
        String payload = Base64.getEncoder().encodeToString(new byte[160]);
        List<String> messages = List.of(TwilioJson.CONNECTED, TwilioJson.start(1, sid, account, params),
                TwilioJson.media(2, sid, 1, payload), TwilioJson.media(3, sid, 2, payload),
                TwilioJson.dtmf(4, sid, '#'), TwilioJson.mark(5, sid, "item_12:3"), TwilioJson.stop(6, sid, account));
        assertThat(MediaStreamValidator.bridge().check(messages)).isEmpty();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(messages.get(1)).path("start").path("customParameters").path("note").asText())
                .isEqualTo("quote \" backslash \\ newline \n é");
        assertThat(json.readTree(messages.get(3)).path("media").path("timestamp").asText()).isEqualTo("40");
        assertThat(TwilioJson.quote("\u0001")).isEqualTo("\"\\u0001\"");
    }

    @Test
    void theReusedBuilderMarkWritesTheSameTextAsTheStringForm() {
        String sid = "4f3c0b9e-6a1d-4d7e-9f0a-2b8c5d7e1a90";
        StringBuilder out = new StringBuilder("left over");
        TwilioJson.mark(out, 58, TwilioJson.quote(sid), "item \"12\"\t\u0002é");
        assertThat(out.toString()).isEqualTo(TwilioJson.mark(58, sid, "item \"12\"\t\u0002é"));
    }
}
