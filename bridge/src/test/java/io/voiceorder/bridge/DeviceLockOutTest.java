package io.voiceorder.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Sipp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.SIPP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bridge.md §9.2: a device with a wrong password locks its address out — 5 authentication failures from one IP ban
 * it for 10 min; {@code /health} says so (the ban, and the device registered from there); the ban is per IP.
 */
@RequiresPeers({SIPP})
class DeviceLockOutTest {
    private static final String DEVICE = "ht841";
    private static final String PASSWORD = "gw-pass-5d1c";

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private void register(String fromIp, String password, String expect, String name) throws Exception {
        try (Sipp device = Sipp.callerFrom(fromIp, "uac-register.xml", harness.sipTarget(), DEVICE,
                Map.of("user", DEVICE, "pass", password, "expires", "600", "expect", expect), dir.resolve(name))) {
            assertThat(device.awaitExit(20_000)).as(name + ": " + device.output()).isZero();
        }
    }

    @Test
    void fiveWrongPasswordsBanTheAddressHealthSaysSoAndAnotherAddressStillRegisters() throws Exception {
        harness = GatewayHarness.start(dir, Map.of("SIP_DEVICES", DEVICE + ":" + PASSWORD));
        register("127.0.0.2", PASSWORD, "200", "first");
        assertThat(harness.device(DEVICE).path("banned").asBoolean()).isFalse();
        assertThat(harness.health().path("banned")).isEmpty();

        // the device's password was changed on the bridge but not on the device: every attempt is refused
        for (int i = 1; i <= 5; i++) {
            register("127.0.0.2", "not-the-password", "403", "wrong-" + i);
        }
        assertThat(harness.probe("127.0.0.2", "REGISTER", 2000)).as("the 6th REGISTER gets no response").isNull();
        assertThat(harness.probe("127.0.0.2", "OPTIONS", 1000)).as("nor anything else from that address").isNull();

        JsonNode health = harness.health();
        assertThat(health.path("banned")).hasSize(1);
        JsonNode ban = health.path("banned").get(0);
        assertThat(ban.path("source").asText()).isEqualTo("127.0.0.2");
        assertThat(ban.path("reason").asText()).isEqualTo("auth_failures");
        Instant until = Instant.parse(ban.path("until").asText());
        assertThat(until).isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(11)));
        assertThat(health.path("banned_total").asInt()).isEqualTo(1);
        JsonNode device = harness.device(DEVICE);
        assertThat(device.path("source").asText()).startsWith("127.0.0.2:");
        assertThat(device.path("banned").asBoolean()).as("the device's own address is locked out").isTrue();
        assertThat(harness.get("/health").body()).doesNotContain(PASSWORD).doesNotContain("not-the-password");

        // the ban is per IP: the right password from another address registers, and the device is no longer banned
        register("127.0.0.3", PASSWORD, "200", "elsewhere");
        device = harness.device(DEVICE);
        assertThat(device.path("source").asText()).startsWith("127.0.0.3:");
        assertThat(device.path("banned").asBoolean()).isFalse();
        assertThat(harness.health().path("banned").get(0).path("source").asText()).isEqualTo("127.0.0.2");
        assertThat(harness.probe("127.0.0.2", "OPTIONS", 1000)).as("still banned").isNull();
    }
}
