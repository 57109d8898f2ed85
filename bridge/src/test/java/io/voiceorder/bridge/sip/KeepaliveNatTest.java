package io.voiceorder.bridge.sip;

import io.voiceorder.bridge.config.HostPort;
import io.voiceorder.bridge.config.Secret;
import io.voiceorder.bridge.support.RequiresPeers;
import io.voiceorder.fixtures.sip.Kamailio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A NAT rebinding found by a keepalive (bridge.md §5.1 "Checked on every response, so a NAT rebinding is fixed within
 * one keepalive"): the bridge registers to kamailio through a UDP NAT ({@link UdpNat}); once registered, the NAT
 * moves its mapping to another outside port, so kamailio's response to the next OPTIONS reports another
 * {@code rport}. The bridge must correct its Contact and REGISTER at once, removing the old Contact with
 * {@code expires=0} in the same request, long before the registration's refresh; kamailio then holds the new
 * Contact only.
 */
@RequiresPeers({KAMAILIO})
class KeepaliveNatTest {
    private static final String USER = "0033972360682";
    private static final String PASSWORD = "trunk-pass-7f3a";

    @TempDir
    Path dir;

    private Kamailio kamailio;
    private UdpNat nat;
    private SipEndpoint endpoint;
    private TrunkRegistration registration;

    @AfterEach
    void stop() {
        if (registration != null) {
            registration.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (nat != null) {
            nat.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    @Test
    void anOptionsResponseWithAnotherRportMovesTheContactAtOnce() throws Exception {
        kamailio = Kamailio.start(Kamailio.defaults(USER, PASSWORD), dir.resolve("kamailio"));
        nat = new UdpNat(kamailio.port());
        endpoint = SipEndpoint.start("127.0.0.1", 0, "udp", "127.0.0.1", false, List.of(PASSWORD));
        // refresh at 75 % of 300 s: every REGISTER seen below is a correction, none a refresh
        registration = new TrunkRegistration(endpoint, new HostPort("127.0.0.1", nat.insidePort()), USER, Secret.of(PASSWORD),
                300, SipTimings.standard().withKeepalive(Duration.ofMillis(500), Duration.ofMillis(400)), false,
                new TrunkAddresses("127.0.0.1"), new RegistrationEvents() {
                    @Override
                    public void onOutcome(String result) {
                    }

                    @Override
                    public void onRegistered(boolean up) {
                    }
                }, Clock.systemUTC());
        registration.start();

        // the REGISTER's 200 already shows the first mapping: the Contact moves there (the REGISTER path)
        int first = nat.outsidePort();
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.advertisedPort() == first
                && registration.snapshot().state() == RegistrationState.REGISTERED);
        await().atMost(Duration.ofSeconds(10)).until(() -> answeredOptions(first) >= 2);
        int registrations = registration.snapshot().successfulRegistrations();

        nat.rebind();
        int second = nat.outsidePort();
        assertThat(second).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.advertisedPort() == second
                && registration.snapshot().successfulRegistrations() > registrations
                && registration.snapshot().state() == RegistrationState.REGISTERED);

        List<UdpNat.Crossing> viaSecond = nat.crossings().stream().filter(c -> c.outsidePort() == second).toList();
        assertThat(viaSecond.get(0).firstLine()).as("a keepalive found the new mapping").startsWith("OPTIONS ");
        assertThat(viaSecond.stream().filter(c -> !c.fromClient()).map(UdpNat.Crossing::text).toList())
                .as("kamailio reported the new mapping in its answer to the OPTIONS")
                .anyMatch(text -> text.contains("CSeq: 1 OPTIONS") && text.contains("rport=" + second));

        String oldContact = "<sip:" + USER + "@127.0.0.1:" + first + ">";
        String newContact = "<sip:" + USER + "@127.0.0.1:" + second + ">";
        List<UdpNat.Crossing> registers = viaSecond.stream()
                .filter(c -> c.fromClient() && c.firstLine().startsWith("REGISTER ")).toList();
        assertThat(registers).as("the corrected REGISTER (and its digest round)").isNotEmpty();
        assertThat(registers).allSatisfy(register -> assertThat(register.text())
                .containsPattern(Pattern.quote(newContact) + ";expires=300")
                .containsPattern(Pattern.quote(oldContact) + ";expires=0")
                .contains("Via: SIP/2.0/UDP 127.0.0.1:" + second));

        String registered = viaSecond.stream()
                .filter(c -> !c.fromClient() && c.firstLine().startsWith("SIP/2.0 200") && c.text().contains(" REGISTER"))
                .map(UdpNat.Crossing::text).reduce((a, b) -> b).orElseThrow();
        assertThat(registered).as("kamailio holds the new Contact only").contains(newContact).doesNotContain(oldContact);
        assertThat(registration.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(endpoint.advertisedFrom()).isEqualTo("rport");
    }

    /** OPTIONS through the mapping at {@code outsidePort} that kamailio answered. */
    private long answeredOptions(int outsidePort) {
        return nat.crossings().stream().filter(c -> !c.fromClient() && c.outsidePort() == outsidePort
                && c.firstLine().startsWith("SIP/2.0 ") && c.text().contains(" OPTIONS")).count();
    }
}
