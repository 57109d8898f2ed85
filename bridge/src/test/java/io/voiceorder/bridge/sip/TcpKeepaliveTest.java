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

import static io.voiceorder.bridge.support.RequiresPeers.Peer.KAMAILIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trunk registration over TCP to kamailio, through a relay that sees the bytes on the wire and can cut the
 * connection. Covers bridge.md §5.1 "TCP: the REGISTER connection stays open, CRLFCRLF ping every keepalive interval
 * (15 s by default; shortened here), connection loss → re-REGISTER", and that no OPTIONS keepalives go over TCP.
 */
@RequiresPeers({KAMAILIO})
class TcpKeepaliveTest {
    private static final String USER = "0033972360682";
    private static final String PASSWORD = "trunk-pass-7f3a";

    @TempDir
    Path dir;

    private Kamailio kamailio;
    private SipTcpRelay relay;
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
        if (relay != null) {
            relay.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    @Test
    void crlfPingsKeepTheConnectionAndALostConnectionIsRegisteredAgain() throws Exception {
        kamailio = Kamailio.start(Kamailio.defaults(USER, PASSWORD), dir.resolve("kamailio"));
        relay = new SipTcpRelay(kamailio.port());
        endpoint = SipEndpoint.start("127.0.0.1", 0, "tcp", "127.0.0.1", false, List.of(PASSWORD));
        registration = new TrunkRegistration(endpoint, new HostPort("127.0.0.1", relay.port()), USER, Secret.of(PASSWORD), 300,
                SipTimings.standard().withKeepalive(Duration.ofMillis(300), Duration.ofMillis(200)), false,
                new TrunkAddresses("127.0.0.1"), new RegistrationEvents() {
                    @Override
                    public void onOutcome(String result) {
                    }

                    @Override
                    public void onRegistered(boolean up) {
                    }
                }, Clock.systemUTC());
        registration.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> registration.snapshot().state() == RegistrationState.REGISTERED);
        assertThat(registration.snapshot().keepalive()).isEqualTo("crlf");
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.pings() >= 3);
        assertThat(relay.connections()).as("pings go over the REGISTER's connection").isEqualTo(1);
        assertThat(registration.snapshot().successfulRegistrations()).isEqualTo(1);
        assertThat(endpoint.advertisedPort()).as("the rport of a TCP connection is no NAT binding").isEqualTo(endpoint.localPort());

        relay.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> registration.snapshot().successfulRegistrations() == 2);
        assertThat(relay.connections()).isEqualTo(2);
        assertThat(registration.snapshot().state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(relay.requestLines()).allMatch(line -> line.startsWith("REGISTER sip:127.0.0.1:" + relay.port() + ";transport=tcp"));
    }
}
