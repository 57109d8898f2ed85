package io.voiceorder.bridge.stream;

import io.voiceorder.fixtures.twilio.TwilioSignature;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeSignatureTest {

    @Test
    void signsTheDialledUrlWithItsSchemeWrittenWss() {
        assertThat(UpgradeSignature.signedUrl(URI.create("ws://localhost:5050/media-stream")))
                .isEqualTo("wss://localhost:5050/media-stream");
        assertThat(UpgradeSignature.signedUrl(URI.create("wss://serve.example.com/media-stream?a=1")))
                .isEqualTo("wss://serve.example.com/media-stream?a=1");
        String url = "wss://serve.example.com/media-stream";
        assertThat(UpgradeSignature.sign("secret", url)).isEqualTo(TwilioSignature.sign("secret", url));
    }

    @Test
    void theConfiguredSignatureUrlCoversOnlyTheDefaultTarget() {
        URI target = URI.create("ws://localhost:5050/media-stream");
        StreamClient client = new StreamClient("AC0", "s", target, "wss://public.example.com/media-stream", new StreamMetrics());
        assertThat(client.signedUrlFor(target)).isEqualTo("wss://public.example.com/media-stream");
        assertThat(client.signedUrlFor(URI.create("ws://other:1/media-stream"))).isEqualTo("wss://other:1/media-stream");
    }
}
