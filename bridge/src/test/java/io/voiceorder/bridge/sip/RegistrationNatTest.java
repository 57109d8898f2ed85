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
 * Contact correction from the registrar's view of our address (a sipp registrar reporting another
 * {@code received}/{@code rport} in the 200's Via). Covers bridge.md §5.1 "NAT": a new REGISTER at once, whose Contact
 * is the corrected address and which removes the old Contact with {@code expires=0} in the same request.
 */
@RequiresPeers({SIPP})
class RegistrationNatTest {
    private static final int NAT_PORT = 40_123;

    @TempDir
    Path dir;

    @Test
    void aDifferentReceivedAndRportTriggersAnImmediateRegisterWithTheCorrectedContact() throws Exception {
        try (ScriptedRegistrar setup = ScriptedRegistrar.start("uas-registrar-nat.xml",
                Map.of("natip", "127.0.0.1", "natport", String.valueOf(NAT_PORT)), 300, dir)) {
            int localPort = setup.endpoint.localPort();
            assertThat(localPort).isNotEqualTo(NAT_PORT);

            assertThat(setup.registrar.awaitExit(20_000)).as(setup.registrar.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> setup.registration.snapshot().successfulRegistrations() == 2);

            List<SippTrace.Message> registers = setup.registrar.trace().stream()
                    .filter(m -> m.received() && m.isRequest("REGISTER")).toList();
            assertThat(registers).hasSize(2);
            String original = "sip:" + ScriptedRegistrar.USER + "@127.0.0.1:" + localPort;
            String corrected = "sip:" + ScriptedRegistrar.USER + "@127.0.0.1:" + NAT_PORT;
            assertThat(String.join(",", registers.get(0).headers("Contact"))).contains(original).doesNotContain(corrected);

            String contacts = String.join(",", registers.get(1).headers("Contact"))
                    + "," + String.join(",", registers.get(1).headers("m"));
            assertThat(contacts).containsPattern("<" + quote(corrected) + ">;expires=300")
                    .containsPattern("<" + quote(original) + ">;expires=0");
            assertThat(registers.get(1).headers("Via").get(0)).contains("127.0.0.1:" + NAT_PORT);
            Duration gap = Duration.between(registers.get(0).at(), registers.get(1).at());
            assertThat(gap).as("the corrected REGISTER follows at once, not at the refresh").isLessThan(Duration.ofSeconds(5));

            assertThat(setup.registration.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
            assertThat(setup.endpoint.advertisedPort()).isEqualTo(NAT_PORT);
            assertThat(setup.endpoint.advertisedFrom()).isEqualTo("rport");
        }
    }

    private static String quote(String s) {
        return java.util.regex.Pattern.quote(s);
    }
}
