package io.voiceorder.app;

import io.voiceorder.app.support.LogCapture;
import io.voiceorder.app.support.ServeHarness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up summary names the backend; restaurants that cannot transfer in Twilio mode are warned about. */
class StartupWarningsTest {

    @Test
    void theSummaryNamesTheBackendAndATransferWithoutTwilioRestIsWarnedAbout() {
        try (LogCapture logs = new LogCapture(); ServeHarness serve = ServeHarness.start()) {
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("INFO voiceorder serve ")
                    .contains("backend embedded (restaurants da-marco, database h2), default restaurant da-marco"));
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).isEqualTo("WARN restaurant da-marco has transfer enabled but "
                    + "TWILIO_ACCOUNT_SID is unset: transfers in Twilio mode are unavailable. {}"));
        }
    }

    @Test
    void withTwilioRestConfiguredThereIsNoTransferWarning() {
        try (LogCapture logs = new LogCapture();
             ServeHarness serve = ServeHarness.start(Map.of("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_AUTH_TOKEN", "tok-123"))) {
            assertThat(logs.lines()).noneSatisfy(l -> assertThat(l).contains("transfers in Twilio mode are unavailable"));
        }
    }
}
