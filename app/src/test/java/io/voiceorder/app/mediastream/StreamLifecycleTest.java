package io.voiceorder.app.mediastream;

import io.voiceorder.app.call.CallTimings;
import io.voiceorder.app.support.ServeHarness;
import io.voiceorder.fixtures.realtime.FakeRealtimeServer;
import io.voiceorder.fixtures.twilio.SimulatorOptions;
import io.voiceorder.fixtures.twilio.TwilioStreamSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream that never says {@code start} is closed with 1008, and nothing is opened for it. */
class StreamLifecycleTest {
    @Test
    void aStreamWithoutStartIsClosedWith1008AndOpensNothing() {
        CallTimings s = CallTimings.standard();
        CallTimings quickStart = new CallTimings(Duration.ofMillis(500), s.streamIdleTimeout(), s.sessionCreatedWait(),
                s.goodbyeResponseCap(), s.drainCap(), s.afterDrainPause(), s.watchdogDrainCap(), s.wrapUpLead(),
                s.wrapUpMinDuration(), s.dtmfGap(), s.promptDrainCap());
        try (ServeHarness h = ServeHarness.start(Map.of("MAX_PARALLEL_CALLS", "1"), quickStart, FakeRealtimeServer.Options.defaults());
             TwilioStreamSimulator silent = h.call(SimulatorOptions.twilioCall().manualStart())) {
            assertThat(silent.closed().orTimeout(5, TimeUnit.SECONDS).join().code()).isEqualTo(1008);
            assertThat(h.openai.connectionCount()).isZero();
            // Its slot is free again: the next stream is admitted.
            try (TwilioStreamSimulator next = h.call()) {
                h.openai.awaitSession(0, Duration.ofSeconds(10)).awaitEvent("session.update", Duration.ofSeconds(10));
            }
        }
    }
}
