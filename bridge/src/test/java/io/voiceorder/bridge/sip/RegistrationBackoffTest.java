package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.SippTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registrar's own pacing of REGISTERs (a sipp registrar answering 503, then 423, then 200). Covers bridge.md §5.1
 * "Backoff" (503 with {@code Retry-After: N} → the next attempt after N s, not the 1 s backoff step; {@code failed}
 * with {@code last_error} meanwhile) and "200 OK … 423 → retry at once with {@code Min-Expires}".
 */
@RequiresPeers({SIPP})
class RegistrationBackoffTest {
    private static final int RETRY_AFTER_S = 3;
    private static final int MIN_EXPIRES_S = 600;

    @TempDir
    Path dir;

    @Test
    void retryAfterIsHonouredAndMinExpiresIsRequestedAtOnce() throws Exception {
        try (ScriptedRegistrar setup = ScriptedRegistrar.start("uas-registrar-backoff.xml",
                Map.of("retry", String.valueOf(RETRY_AFTER_S), "min", String.valueOf(MIN_EXPIRES_S)), 300, dir)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> setup.registration.snapshot().state() == RegistrationState.FAILED);
            RegistrationSnapshot failed = setup.registration.snapshot();
            assertThat(failed.lastError()).get().asString().contains("503");
            assertThat(failed.nextAttemptAt()).isPresent();

            assertThat(setup.registrar.awaitExit(30_000)).as(setup.registrar.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> setup.registration.snapshot().state() == RegistrationState.REGISTERED);

            List<SippTrace.Message> registers = setup.registrar.trace().stream()
                    .filter(m -> m.received() && m.isRequest("REGISTER")).toList();
            assertThat(registers).hasSize(3);
            Duration afterServiceUnavailable = Duration.between(registers.get(0).at(), registers.get(1).at());
            assertThat(afterServiceUnavailable).as("not before Retry-After")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(RETRY_AFTER_S))
                    .isLessThan(Duration.ofSeconds(RETRY_AFTER_S + 10));
            assertThat(registers.get(0).headers("Expires")).containsExactly("300");
            assertThat(registers.get(1).headers("Expires")).containsExactly("300");
            assertThat(registers.get(2).headers("Expires")).as("423 → Min-Expires").containsExactly(String.valueOf(MIN_EXPIRES_S));
            assertThat(Duration.between(registers.get(1).at(), registers.get(2).at())).as("423 → retried at once")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(setup.registration.snapshot().lastError()).isEmpty();
        }
    }
}
