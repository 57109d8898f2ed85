package io.voiceorder.app.twilio;

import org.junit.jupiter.api.Test;

import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioSignatureTest {
    private static final List<Map.Entry<String, String>> PARAMS = List.of(
            new SimpleEntry<>("CallSid", "CA1234567890ABCDE"),
            new SimpleEntry<>("Caller", "+12349013030"),
            new SimpleEntry<>("Digits", "1234"),
            new SimpleEntry<>("From", "+12349013030"),
            new SimpleEntry<>("To", "+18005551212"));

    @Test
    void matchesTwilioDocumentedExample() {
        // Twilio's documented example: auth token 12345 over this URL and these parameters.
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(TwilioSignature.compute("12345", url, PARAMS)).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assertThat(TwilioSignature.matches("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", List.of(url), PARAMS)).isTrue();
        assertThat(TwilioSignature.matches("12346", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", List.of(url), PARAMS)).isFalse();
        assertThat(TwilioSignature.matches("12345", "", List.of(url), PARAMS)).isFalse();
        assertThat(TwilioSignature.matches("12345", null, List.of(url), PARAMS)).isFalse();
    }

    @Test
    void aUrlSignedWithItsDefaultPortMatchesWithoutIt() {
        String signed = TwilioSignature.compute("k", "wss://voice.example.com:443/media-stream", List.of());
        assertThat(TwilioSignature.matches("k", signed, List.of("wss://voice.example.com/media-stream"), List.of())).isTrue();
        String plain = TwilioSignature.compute("k", "ws://127.0.0.1/media-stream", List.of());
        assertThat(TwilioSignature.matches("k", plain, List.of("ws://127.0.0.1:80/media-stream"), List.of())).isTrue();
    }
}
