package io.voiceorder.app.mediastream;

import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.conformance.ConformanceExchange;
import io.voiceorder.fixtures.conformance.ConformanceResult;
import io.voiceorder.fixtures.conformance.ConformanceRunner;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every conformance exchange of media-stream.md, replayed against serve. */
class ConformanceTest {
    static List<String> exchanges() {
        return ConformanceExchange.NAMES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exchanges")
    void serveHandlesTheExchange(String name) {
        try (ServeHarness h = ServeHarness.start()) {
            ConformanceResult result = ConformanceRunner.run(ConformanceExchange.load(name), h.streamUri(), h.openai,
                    SimulatorOptions.twilioCall());
            assertThat(result.passed()).as(result.report()).isTrue();
        }
    }
}
